using System.Text.Json;
using System.Text.Json.Serialization;
using Factory.Contracts.Alarms;
using Factory.Contracts.Telemetry;

namespace Factory.Contracts.Link;

/// <summary>
/// The JSON form of what travels between edge and cloud: web defaults (camelCase), compact,
/// source-generated. docs/link.md shows every shape.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RecordBatch))]
[JsonSerializable(typeof(RecordAcknowledgement))]
[JsonSerializable(typeof(LinkRefusal))]
[JsonSerializable(typeof(LineCommand))]
[JsonSerializable(typeof(LineCommandResult))]
[JsonSerializable(typeof(SensorSummary))]
[JsonSerializable(typeof(MachineHealth))]
[JsonSerializable(typeof(AnomalyWindow))]
[JsonSerializable(typeof(AlarmEvent))]
[JsonSerializable(typeof(AlarmEvent[]))]
public sealed partial class LinkJsonContext : JsonSerializerContext;
