using Factory.Plant.Model;
using Factory.Simulator.Degradation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Factory.Simulator.Faults;

/// <summary>One problem in a scenario file or a --fault argument, and where it is.</summary>
/// <param name="Line">From 1; 0 when the problem is not at a place in a file.</param>
public sealed record ScenarioError(string Source, int Line, int Column, string Message)
{
    public override string ToString() => Line > 0 ? $"{Source}:{Line}:{Column}: {Message}" : $"{Source}: {Message}";
}

/// <summary>Scenario files or --fault arguments that cannot be used, with every problem found.</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException(IReadOnlyList<ScenarioError> errors)
        : base(string.Join(Environment.NewLine, errors)) => Errors = errors;

    public ScenarioException()
        : this([]) { }

    public ScenarioException(string message)
        : base(message) => Errors = [new ScenarioError("scenario", 0, 0, message)];

    public ScenarioException(string message, Exception innerException)
        : base(message, innerException) => Errors = [new ScenarioError("scenario", 0, 0, message)];

    public IReadOnlyList<ScenarioError> Errors { get; }
}

/// <summary>
/// A fault scenario (plant-config/scenarios/*.yaml): a description, whether random faults stay on,
/// and scripted faults, each "on this machine, start this process at this time, failing this long
/// after". Format in docs/simulator.md ("Fault scenarios").
/// </summary>
/// <param name="RandomFaults">The scenario's wish for random faults; null leaves the command line's choice.</param>
public sealed record FaultScenario(string Path, string? Description, bool? RandomFaults, IReadOnlyList<FaultInjection> Faults)
{
    private static readonly string[] TopKeys = ["description", "random-faults", "faults"];
    private static readonly string[] FaultKeys = ["machine", "process", "start", "fail"];

    /// <summary>Reads and checks a scenario file against <paramref name="plant"/>.</summary>
    /// <exception cref="ScenarioException">The file is missing, not YAML, or names what the plant does not have.</exception>
    public static FaultScenario Load(string path, PlantConfig plant)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException([new ScenarioError(path, 0, 0, $"cannot be read: {e.Message}")]);
        }

        return Parse(text, path, plant);
    }

    /// <summary>Parses scenario text; <paramref name="source"/> names it in messages.</summary>
    public static FaultScenario Parse(string text, string source, PlantConfig plant)
    {
        var errors = new List<ScenarioError>();
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ScenarioException([new ScenarioError(source, (int)e.Start.Line, (int)e.Start.Column, $"not valid YAML: {e.InnerException?.Message ?? e.Message}")]);
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ScenarioException([new ScenarioError(source, 1, 1, "a scenario is a mapping with 'faults:' (see docs/simulator.md)")]);
        }

        string? description = null;
        bool? randomFaults = null;
        var faults = new List<FaultInjection>();
        foreach (var (keyNode, value) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            switch (key)
            {
                case "description":
                    description = Scalar(value, source, "description", errors);
                    break;
                case "random-faults":
                    var flag = Scalar(value, source, "random-faults", errors);
                    if (flag is "true" or "false")
                    {
                        randomFaults = flag == "true";
                    }
                    else if (flag is not null)
                    {
                        errors.Add(At(source, value, $"random-faults must be true or false, not '{flag}'"));
                    }

                    break;
                case "faults":
                    if (value is not YamlSequenceNode list)
                    {
                        errors.Add(At(source, value, "faults must be a list of faults (- machine: ..., process: ..., start: ..., fail: ...)"));
                        break;
                    }

                    foreach (var item in list)
                    {
                        if (ParseFault(item, source, plant, errors) is { } fault)
                        {
                            faults.Add(fault);
                        }
                    }

                    break;
                default:
                    errors.Add(At(source, keyNode, $"unknown key '{key}' (known: {string.Join(", ", TopKeys)})"));
                    break;
            }
        }

        if (errors.Count > 0)
        {
            throw new ScenarioException(errors);
        }

        return new FaultScenario(source, description, randomFaults, faults);
    }

    private static FaultInjection? ParseFault(YamlNode item, string source, PlantConfig plant, List<ScenarioError> errors)
    {
        if (item is not YamlMappingNode fault)
        {
            errors.Add(At(source, item, "a fault is a mapping: machine, process, start, fail"));
            return null;
        }

        var values = new Dictionary<string, (string? Text, YamlNode Node)>();
        foreach (var (keyNode, value) in fault.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!FaultKeys.Contains(key))
            {
                errors.Add(At(source, keyNode, $"unknown key '{key}' in a fault (known: {string.Join(", ", FaultKeys)})"));
                continue;
            }

            values[key] = (Scalar(value, source, key, errors), value);
        }

        var before = errors.Count;
        foreach (var required in new[] { "machine", "process", "fail" })
        {
            if (!values.ContainsKey(required))
            {
                errors.Add(At(source, fault, $"the fault has no '{required}'"));
            }
        }

        if (errors.Count > before)
        {
            return null;
        }

        var location = $"{source}:{fault.Start.Line}";
        var (lineId, machineId, kind) = ResolveMachine(values["machine"].Text ?? "", plant, out var machineError);
        if (machineError is not null)
        {
            errors.Add(At(source, values["machine"].Node, machineError));
        }

        var process = values["process"].Text ?? "";
        if (kind is { } k && ProcessError(process, k) is { } processError)
        {
            errors.Add(At(source, values["process"].Node, processError));
        }

        var start = TimeSpan.Zero;
        if (values.TryGetValue("start", out var startText) && !SimulationDuration.TryParse(startText.Text, out start, out var startError))
        {
            errors.Add(At(source, startText.Node, $"start: {startError}"));
        }

        if (!SimulationDuration.TryParse(values["fail"].Text, out var fail, out var failError))
        {
            errors.Add(At(source, values["fail"].Node, $"fail: {failError}"));
        }
        else if (fail <= TimeSpan.Zero)
        {
            errors.Add(At(source, values["fail"].Node, "fail must be more than zero: the time from onset to failure"));
        }

        return errors.Count > before ? null : new FaultInjection(lineId, machineId, process, start, fail, location);
    }

    /// <summary>Finds <c>line/machine</c> in the plant; the error names what exists.</summary>
    internal static (string LineId, string MachineId, MachineKind? Kind) ResolveMachine(string text, PlantConfig plant, out string? error)
    {
        error = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1)
        {
            error = $"'{text}' is not <line>/<machine>, e.g. {Example(plant)}";
            return ("", "", null);
        }

        var lineId = text[..slash];
        var machineId = text[(slash + 1)..];
        var line = plant.Lines.FirstOrDefault(l => l.Id == lineId);
        if (line is null)
        {
            error = $"the plant has no line '{lineId}' (lines: {string.Join(", ", plant.Lines.Select(l => l.Id))})";
            return (lineId, machineId, null);
        }

        var machine = line.Machines.FirstOrDefault(m => m.Id == machineId);
        if (machine is null)
        {
            error = $"line {lineId} has no machine '{machineId}' (machines: {string.Join(", ", line.Machines.Select(m => m.Id))})";
            return (lineId, machineId, null);
        }

        var kind = plant.MachineTypes.FirstOrDefault(t => t.Id == machine.Type)?.Kind;
        return (lineId, machineId, kind);
    }

    internal static string? ProcessError(string process, MachineKind kind)
    {
        var processes = DegradationCatalog.For(kind);
        return processes.Any(p => p.Id == process)
            ? null
            : $"a {kind} has no degradation process '{process}' (it has {string.Join(", ", processes.Select(p => p.Id))})";
    }

    private static string Example(PlantConfig plant) =>
        plant.Lines.FirstOrDefault(l => l.Machines.Count > 0) is { } line ? $"{line.Id}/{line.Machines[0].Id}" : "line-1/cnc-1";

    private static string? Scalar(YamlNode node, string source, string key, List<ScenarioError> errors)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value;
        }

        errors.Add(At(source, node, $"{key} must be a single value"));
        return null;
    }

    private static ScenarioError At(string source, YamlNode node, string message) =>
        new(source, (int)node.Start.Line, (int)node.Start.Column, message);
}

/// <summary>
/// A fault given on the command line: <c>&lt;line&gt;/&lt;machine&gt;:&lt;process&gt;:start=&lt;duration&gt;:fail=&lt;duration&gt;</c>,
/// e.g. <c>line-1/cnc-1:bearing-wear:start=2m:fail=20m</c> (start defaults to 0).
/// </summary>
public static class FaultSpec
{
    public const string Format = "<line>/<machine>:<process>:start=<duration>:fail=<duration>";

    /// <exception cref="ScenarioException">The text does not follow the format or names what the plant does not have.</exception>
    public static FaultInjection Parse(string text, PlantConfig plant)
    {
        var source = $"--fault '{text}'";
        var parts = text.Split(':');
        if (parts.Length < 2)
        {
            throw Error(source, $"expected {Format}, e.g. line-1/cnc-1:bearing-wear:start=2m:fail=20m");
        }

        var (lineId, machineId, kind) = FaultScenario.ResolveMachine(parts[0], plant, out var machineError);
        if (machineError is not null)
        {
            throw Error(source, machineError);
        }

        var process = parts[1];
        if (kind is { } k && FaultScenario.ProcessError(process, k) is { } processError)
        {
            throw Error(source, processError);
        }

        TimeSpan start = TimeSpan.Zero;
        TimeSpan? fail = null;
        foreach (var part in parts[2..])
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? "" : part[(equals + 1)..];
            if (name is not ("start" or "fail"))
            {
                throw Error(source, $"'{part}' is neither start=<duration> nor fail=<duration>");
            }

            if (!SimulationDuration.TryParse(value, out var duration, out var error))
            {
                throw Error(source, $"{name}: {error}");
            }

            if (name == "start")
            {
                start = duration;
            }
            else
            {
                fail = duration;
            }
        }

        if (fail is not { } failAfter || failAfter <= TimeSpan.Zero)
        {
            throw Error(source, "fail=<duration> is needed: the time from onset to failure, more than zero");
        }

        return new FaultInjection(lineId, machineId, process, start, failAfter, source);
    }

    private static ScenarioException Error(string source, string message) => new([new ScenarioError(source, 0, 0, message)]);
}
