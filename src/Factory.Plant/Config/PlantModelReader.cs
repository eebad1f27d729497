using System.Globalization;
using System.Text.Json.Nodes;
using Factory.Plant.Model;
using static Factory.Plant.Config.JsonValues;

namespace Factory.Plant.Config;

/// <summary>
/// Turns a document that passed the schema and the rules into the immutable model, filling in the
/// documented defaults (name = id, status and maintenance nodes from line and machine id, limit
/// deadband and delays 0). Runs only on valid documents, so it trusts the shape.
/// </summary>
internal static class PlantModelReader
{
    private static readonly Dictionary<string, DayOfWeek> Days = new(StringComparer.Ordinal)
    {
        ["mon"] = DayOfWeek.Monday,
        ["tue"] = DayOfWeek.Tuesday,
        ["wed"] = DayOfWeek.Wednesday,
        ["thu"] = DayOfWeek.Thursday,
        ["fri"] = DayOfWeek.Friday,
        ["sat"] = DayOfWeek.Saturday,
        ["sun"] = DayOfWeek.Sunday,
    };

    public static PlantConfig Read(JsonObject document, string sourcePath) => new(
        (int)Number(document["schemaVersion"])!.Value,
        ReadSite((JsonObject)document["site"]!),
        [.. Objects(document["machineTypes"]).Select(t => ReadMachineType(t.Item))],
        sourcePath)
    {
        Crews = [.. Objects(document["crews"]).Select(c => new Crew(Required(c.Item, "id"), NameOf(c.Item), Texts(c.Item["skills"])))],
    };

    private static MachineType ReadMachineType(JsonObject type) => new(
        Required(type, "id"),
        NameOf(type),
        KebabCase.Parse<MachineKind>(Required(type, "kind")),
        Text(type["model"]))
    {
        MaintenanceTasks = [.. Objects(type["maintenanceTasks"]).Select(t => new MaintenanceTask(
            Required(t.Item, "id"),
            NameOf(t.Item),
            Number(t.Item["hours"])!.Value,
            Required(t.Item, "skill"),
            Texts(t.Item["parts"])))],
    };

    private static string[] Texts(JsonNode? array) => [.. (array as JsonArray ?? []).Select(Text).OfType<string>()];

    private static Site ReadSite(JsonObject site) => new(
        Required(site, "id"),
        NameOf(site),
        Text(site["timeZone"]),
        [.. Objects(site["areas"]).Select(a => ReadArea(a.Item))]);

    private static Area ReadArea(JsonObject area) => new(
        Required(area, "id"),
        NameOf(area),
        [.. Objects(area["lines"]).Select(l => ReadLine(l.Item))]);

    private static Line ReadLine(JsonObject line)
    {
        var id = Required(line, "id");
        return new Line(
            id,
            NameOf(line),
            Required(line, "edgeNode"),
            Text(line["opcUa"]?["endpoint"])!,
            [.. Objects(line["machines"]).Select(m => ReadMachine(m.Item, id))],
            [.. Objects(line["shifts"]).Select(s => ReadShift(s.Item))]);
    }

    private static Shift ReadShift(JsonObject shift) => new(
        Required(shift, "name"),
        TimeOnly.ParseExact(Required(shift, "start"), "HH:mm", CultureInfo.InvariantCulture),
        TimeOnly.ParseExact(Required(shift, "end"), "HH:mm", CultureInfo.InvariantCulture),
        [.. (shift["days"] as JsonArray ?? []).Select(d => Days[Text(d)!])]);

    private static Machine ReadMachine(JsonObject machine, string lineId)
    {
        var id = Required(machine, "id");
        var opcUa = machine["opcUa"] as JsonObject;
        return new Machine(
            id,
            NameOf(machine),
            Required(machine, "type"),
            KebabCase.Parse<Criticality>(Required(machine, "criticality")),
            Text(opcUa?["statusNode"]) ?? PlantRules.DefaultStatusNode(lineId, id),
            Text(opcUa?["maintenanceNode"]) ?? PlantRules.DefaultMaintenanceNode(lineId, id),
            [.. Objects(machine["sensors"]).Select(s => ReadSensor(s.Item))]);
    }

    private static Sensor ReadSensor(JsonObject sensor) => new(
        Required(sensor, "id"),
        NameOf(sensor),
        KebabCase.Parse<SignalKind>(Required(sensor, "signal")),
        Required(sensor, "nodeId"),
        Required(sensor, "unit"),
        new ValueRange(Number(sensor["range"]?["low"])!.Value, Number(sensor["range"]?["high"])!.Value),
        (int)Number(sensor["samplingIntervalMs"])!.Value,
        sensor["limits"] is JsonObject limits ? ReadLimits(limits) : null,
        sensor["features"] is JsonObject features ? ReadFeatures(features) : null);

    private static LimitAlarms ReadLimits(JsonObject limits) => new(
        ReadLevel(limits["hh"]),
        ReadLevel(limits["h"]),
        ReadLevel(limits["l"]),
        ReadLevel(limits["ll"]),
        Number(limits["deadband"]) ?? 0,
        (int)(Number(limits["onDelayMs"]) ?? 0),
        (int)(Number(limits["offDelayMs"]) ?? 0));

    private static LimitLevel? ReadLevel(JsonNode? level) => level switch
    {
        null => null,
        JsonObject detailed => new LimitLevel(
            Number(detailed["value"])!.Value,
            Text(detailed["priority"]) is { } priority ? KebabCase.Parse<AlarmPriority>(priority) : null),
        _ => new LimitLevel(Number(level)!.Value, null),
    };

    private static FeatureWindow ReadFeatures(JsonObject features) => new(
        (int)Number(features["windowSeconds"])!.Value,
        [.. (features["statistics"] as JsonArray ?? []).Select(s => KebabCase.Parse<FeatureStatistic>(Text(s)!))]);

    private static string NameOf(JsonObject node) => Text(node["name"]) ?? Required(node, "id");

    private static string Required(JsonObject node, string field) =>
        Text(node[field]) ?? throw new InvalidOperationException($"'{field}' passed validation but is missing; the schema and the model reader disagree.");
}
