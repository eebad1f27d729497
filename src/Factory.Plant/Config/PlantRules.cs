using System.Globalization;
using System.Text.Json.Nodes;
using static Factory.Plant.Config.JsonValues;

namespace Factory.Plant.Config;

/// <summary>
/// The rules a JSON Schema cannot say because they need the whole document: unique ids and node
/// ids, machine types that exist, limits in order and inside the range, one endpoint and one edge
/// node per line. They run on documents that failed the schema too (every error at once), so
/// every value is read without trusting its type, and a node the schema already rejected is skipped.
/// </summary>
internal sealed class PlantRules
{
    /// <summary>The namespace index of the default status and maintenance nodes.</summary>
    public const int DefaultNamespace = 2;

    private static readonly string[] LimitOrder = ["ll", "l", "h", "hh"];

    private readonly SourceMap _map;
    private readonly ConfigErrorList _errors;
    private readonly Dictionary<string, string> _nodeIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Line, string Pointer)> _edgeNodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Line, string Pointer)> _endpoints = new(StringComparer.Ordinal);

    private PlantRules(SourceMap map, ConfigErrorList errors)
    {
        _map = map;
        _errors = errors;
    }

    public static void Check(JsonNode? root, SourceMap map, ConfigErrorList errors)
    {
        if (root is JsonObject document)
        {
            new PlantRules(map, errors).CheckDocument(document);
        }
    }

    /// <summary>The status node a machine has when the file names none.</summary>
    public static string DefaultStatusNode(string lineId, string machineId) => $"ns={DefaultNamespace};s={lineId}.{machineId}.status";

    /// <summary>The maintenance node a machine has when the file names none.</summary>
    public static string DefaultMaintenanceNode(string lineId, string machineId) => $"ns={DefaultNamespace};s={lineId}.{machineId}.maintenance";

    private void CheckDocument(JsonObject document)
    {
        var types = Items(document["machineTypes"], "/machineTypes").ToList();
        UniqueIds(types, "machine type", "");
        CheckMaintenance(document, types);
        var declared = document["machineTypes"] is JsonArray
            ? types.Select(t => Text(t.Item["id"])).OfType<string>().Distinct().ToList()
            : null;
        if (document["site"] is JsonObject site)
        {
            CheckSite(site, "/site", declared);
        }
    }

    /// <summary>Crew ids are unique, task ids unique within their type, and every task's skill is one a crew has (when crews are given).</summary>
    private void CheckMaintenance(JsonObject document, IReadOnlyList<(JsonObject Item, string Pointer)> types)
    {
        var crews = Items(document["crews"], "/crews").ToList();
        UniqueIds(crews, "crew", "");
        var skills = crews.SelectMany(c => c.Item["skills"] as JsonArray ?? []).Select(Text).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var (type, pointer) in types)
        {
            var tasks = Items(type["maintenanceTasks"], pointer + "/maintenanceTasks").ToList();
            UniqueIds(tasks, "maintenance task", Text(type["id"]) is { } id ? $" of machine type '{id}'" : " of this machine type");
            foreach (var (task, taskPointer) in tasks)
            {
                if (crews.Count > 0 && Text(task["skill"]) is { } skill && !skills.Contains(skill))
                {
                    _errors.Add(_map, taskPointer + "/skill", $"no crew has skill '{skill}' (the crews' skills: {string.Join(", ", skills)})");
                }
            }
        }
    }

    private void CheckSite(JsonObject site, string pointer, IReadOnlyList<string>? declared)
    {
        if (Text(site["timeZone"]) is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)
            && TimeZoneInfo.TryFindSystemTimeZoneById("Europe/Berlin", out _))
        {
            // Only when the zone database is there at all: a machine without one must not reject every file.
            _errors.Add(_map, pointer + "/timeZone", $"unknown time zone '{zone}': use an IANA name such as Europe/Berlin or UTC");
        }

        var areas = Items(site["areas"], pointer + "/areas").ToList();
        UniqueIds(areas, "area", " in the site");
        var lines = areas.SelectMany(a => Items(a.Item["lines"], a.Pointer + "/lines")).ToList();
        var repeated = UniqueIds(lines, "line", " in the site");
        foreach (var (line, linePointer) in lines)
        {
            CheckLine(line, linePointer, declared, checkDefaultNodes: !repeated.Contains(linePointer));
        }
    }

    private void CheckLine(JsonObject line, string pointer, IReadOnlyList<string>? declared, bool checkDefaultNodes)
    {
        var lineId = Text(line["id"]);
        if (Text(line["edgeNode"]) is { } edgeNode && lineId is not null)
        {
            if (_edgeNodes.TryGetValue(edgeNode, out var other))
            {
                _errors.Add(_map, pointer + "/edgeNode", $"edge node '{edgeNode}' already serves line '{other.Line}', {Also(other.Pointer)}: each line has its own edge node");
            }
            else
            {
                _edgeNodes[edgeNode] = (lineId, pointer + "/edgeNode");
            }
        }

        if (Text(Field(line["opcUa"], "endpoint")) is { } endpoint && lineId is not null)
        {
            CheckEndpoint(endpoint, lineId, pointer + "/opcUa/endpoint");
        }

        CheckShifts(Items(line["shifts"], pointer + "/shifts").ToList(), lineId);

        var machines = Items(line["machines"], pointer + "/machines").ToList();
        var repeated = UniqueIds(machines, "machine", lineId is null ? " in this line" : $" in line '{lineId}'");
        foreach (var (machine, machinePointer) in machines)
        {
            // A repeated line or machine id repeats the default node ids too: one error, not three.
            CheckMachine(machine, machinePointer, checkDefaultNodes && !repeated.Contains(machinePointer) ? lineId : null, declared);
        }
    }

    private void CheckEndpoint(string endpoint, string lineId, string pointer)
    {
        if (!TryParseEndpoint(endpoint, out var host, out var port))
        {
            return; // the schema's pattern reports it
        }

        if (port is < 1 or > 65535)
        {
            _errors.Add(_map, pointer, $"port {port} of endpoint {endpoint} is not a TCP port (1 to 65535)");
            return;
        }

        var key = $"{host}:{port}";
        if (_endpoints.TryGetValue(key, out var other))
        {
            _errors.Add(_map, pointer, $"endpoint {endpoint} uses port {port} on {host} like line '{other.Line}', {Also(other.Pointer)}: each line needs its own OPC UA server, on its own port when on the same host");
        }
        else
        {
            _endpoints[key] = (lineId, pointer);
        }
    }

    private void CheckShifts(List<(JsonObject Item, string Pointer)> shifts, string? lineId)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (shift, pointer) in shifts)
        {
            if (Text(shift["name"]) is { } name)
            {
                if (names.TryGetValue(name, out var first))
                {
                    _errors.Add(_map, pointer + "/name", $"shift '{name}' is listed twice in line '{lineId}': {Also(first)}");
                }
                else
                {
                    names[name] = pointer + "/name";
                }
            }

            if (Text(shift["start"]) is { } start && Text(shift["end"]) is { } end && start == end && TimeOnly.TryParse(start, CultureInfo.InvariantCulture, out _))
            {
                _errors.Add(_map, pointer + "/end", $"shift '{Text(shift["name"])}' starts and ends at {start}: a shift needs an end other than its start");
            }
        }
    }

    /// <param name="lineId">The line id for the default node ids; null when they are not to be checked.</param>
    private void CheckMachine(JsonObject machine, string pointer, string? lineId, IReadOnlyList<string>? declared)
    {
        var machineId = Text(machine["id"]);
        if (declared is not null && Text(machine["type"]) is { } type && !declared.Contains(type, StringComparer.Ordinal))
        {
            var known = declared.Count > 0 ? $"declared: {string.Join(", ", declared)}" : "none is declared";
            _errors.Add(_map, pointer + "/type", $"machine type '{type}' is not declared in machineTypes ({known})");
        }

        var opcUa = machine["opcUa"] as JsonObject;
        CheckMachineNode(opcUa, "statusNode", pointer, lineId is null || machineId is null ? null : DefaultStatusNode(lineId, machineId), $"the default status node of machine '{machineId}'");
        CheckMachineNode(opcUa, "maintenanceNode", pointer, lineId is null || machineId is null ? null : DefaultMaintenanceNode(lineId, machineId), $"the default maintenance node of machine '{machineId}'");

        var sensors = Items(machine["sensors"], pointer + "/sensors").ToList();
        UniqueIds(sensors, "sensor", machineId is null ? " in this machine" : $" in machine '{machineId}'");
        foreach (var (sensor, sensorPointer) in sensors)
        {
            CheckSensor(sensor, sensorPointer);
        }
    }

    private void CheckMachineNode(JsonObject? opcUa, string field, string machinePointer, string? defaultNode, string defaultLabel)
    {
        if (opcUa?[field] is { } given)
        {
            if (Text(given) is { } nodeId)
            {
                UseNodeId(nodeId, machinePointer + "/opcUa/" + field, nodeId);
            }
        }
        else if (defaultNode is not null)
        {
            UseNodeId(defaultNode, machinePointer, $"{defaultNode} ({defaultLabel})");
        }
    }

    private void CheckSensor(JsonObject sensor, string pointer)
    {
        if (Text(sensor["nodeId"]) is { } nodeId)
        {
            UseNodeId(nodeId, pointer + "/nodeId", nodeId);
        }

        var low = Number(Field(sensor["range"], "low"));
        var high = Number(Field(sensor["range"], "high"));
        var rangeIsValid = low is not null && high is not null && low < high;
        if (low is not null && high is not null && !rangeIsValid)
        {
            _errors.Add(_map, pointer + "/range", $"range low ({Format(low.Value)}) must be below high ({Format(high.Value)})");
        }

        if (sensor["limits"] is JsonObject limits)
        {
            CheckLimits(limits, pointer + "/limits", rangeIsValid ? (low!.Value, high!.Value) : null);
        }

        if (Number(Field(sensor["features"], "windowSeconds")) is { } window && Number(sensor["samplingIntervalMs"]) is { } interval and >= 10
            && window * 1000 < 2 * interval)
        {
            _errors.Add(_map, pointer + "/features/windowSeconds", $"a window of {Format(window)} s holds fewer than 2 samples at a sampling interval of {Format(interval)} ms");
        }
    }

    private void CheckLimits(JsonObject limits, string pointer, (double Low, double High)? range)
    {
        if (!LimitOrder.Any(limits.ContainsKey))
        {
            _errors.Add(_map, pointer, "limits has no limit: give at least one of hh, h, l, ll");
            return;
        }

        var present = LimitOrder
            .Select(name => (Name: name, Value: LimitValue(limits[name])))
            .Where(l => l.Value is not null)
            .Select(l => (l.Name, Value: l.Value!.Value))
            .ToList();
        for (var i = 0; i + 1 < present.Count; i++)
        {
            var (lower, upper) = (present[i], present[i + 1]);
            if (lower.Value >= upper.Value)
            {
                _errors.Add(_map, pointer + "/" + lower.Name, $"limit {lower.Name} ({Format(lower.Value)}) must be below {upper.Name} ({Format(upper.Value)})");
            }
        }

        if (range is var (low, high))
        {
            foreach (var (name, value) in present.Where(l => l.Value < low || l.Value > high))
            {
                _errors.Add(_map, pointer + "/" + name, $"limit {name} ({Format(value)}) lies outside the engineering range {Format(low)} to {Format(high)}");
            }
        }

        if (Number(limits["deadband"]) is { } deadband and > 0)
        {
            for (var i = 0; i + 1 < present.Count; i++)
            {
                var (lower, upper) = (present[i], present[i + 1]);
                if (lower.Value < upper.Value && upper.Value - lower.Value <= deadband)
                {
                    _errors.Add(_map, pointer + "/deadband", $"deadband ({Format(deadband)}) must be smaller than the gap between {lower.Name} ({Format(lower.Value)}) and {upper.Name} ({Format(upper.Value)})");
                }
            }
        }
    }

    private static double? LimitValue(JsonNode? limit) => limit is JsonObject level ? Number(level["value"]) : Number(limit);

    private void UseNodeId(string nodeId, string pointer, string shown)
    {
        var key = CanonicalNodeId(nodeId);
        if (_nodeIds.TryGetValue(key, out var first))
        {
            _errors.Add(_map, pointer, $"node id {shown} is used twice: {Also(first)}");
        }
        else
        {
            _nodeIds[key] = pointer;
        }
    }

    /// <summary>Namespace 0 may be written or left out (i=85 is ns=0;i=85); both are one node.</summary>
    private static string CanonicalNodeId(string nodeId) =>
        nodeId.StartsWith("ns=0;", StringComparison.Ordinal) ? nodeId[5..] : nodeId;

    /// <summary>Reports every id used before in <paramref name="items"/>; returns the pointers of the items that repeat one.</summary>
    private HashSet<string> UniqueIds(List<(JsonObject Item, string Pointer)> items, string what, string scope)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var repeated = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (item, pointer) in items)
        {
            if (Text(item["id"]) is not { } id)
            {
                continue;
            }

            var idPointer = pointer + "/id";
            if (seen.TryGetValue(id, out var first))
            {
                _errors.Add(_map, idPointer, $"{what} id '{id}' is used twice{scope}: {Also(first)}");
                repeated.Add(pointer);
            }
            else
            {
                seen[id] = idPointer;
            }
        }

        return repeated;
    }

    /// <summary>"also at line 12 (/site/areas/0/lines/0/id)": where the first of two is, by line and path.</summary>
    private string Also(string pointer) => $"also at line {_map.Locate(pointer).Line} ({PointerText.Display(pointer)})";

    private static IEnumerable<(JsonObject Item, string Pointer)> Items(JsonNode? list, string pointer) =>
        Objects(list).Select(x => (x.Item, PointerText.Append(pointer, x.Index)));

    /// <summary>Host (lower case; localhost is 127.0.0.1) and port (default 4840) of an opc.tcp URL.</summary>
    internal static bool TryParseEndpoint(string url, out string host, out int port)
    {
        const string Scheme = "opc.tcp://";
        host = "";
        port = 0;
        if (!url.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = url[Scheme.Length..];
        var authority = rest.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? rest[..slash] : rest;
        var portStart = authority.StartsWith('[') ? authority.IndexOf("]:", StringComparison.Ordinal) + 1 : authority.LastIndexOf(':');
        host = (portStart > 0 ? authority[..portStart] : authority).ToLowerInvariant();
        if (host.Length == 0)
        {
            return false;
        }

        if (host == "localhost")
        {
            host = "127.0.0.1";
        }

        if (portStart <= 0)
        {
            port = 4840;
            return true;
        }

        return int.TryParse(authority[(portStart + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port);
    }
}
