using System.Text.Json;
using System.Text.Json.Serialization;

namespace Factory.Contracts.Alarms;

/// <summary>
/// The JSON form of the alarm contracts: System.Text.Json's web defaults (camelCase field names),
/// compact, nulls written (every field is always present). Source-generated so that edge and
/// cloud serialize the same way without reflection.
/// </summary>
/// <example><c>JsonSerializer.Serialize(alarmEvent, AlarmJsonContext.Default.AlarmEvent)</c></example>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AlarmEvent))]
[JsonSerializable(typeof(AlarmSnapshot))]
[JsonSerializable(typeof(AlarmFloodEvent))]
[JsonSerializable(typeof(IReadOnlyList<AlarmSnapshot>))]
public sealed partial class AlarmJsonContext : JsonSerializerContext;
