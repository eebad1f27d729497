using System.Text.Json;
using System.Text.Json.Serialization;

namespace Factory.Edge.Alarms;

/// <summary>The JSON of journal records: web defaults (camelCase), enums by name, compact, source-generated.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(AlarmBookEvent))]
internal sealed partial class AlarmJournalJson : JsonSerializerContext;
