namespace Factory.OpcUa.Fuzz;

/// <summary>
/// Something that parses untrusted bytes. A target supplies valid inputs to mutate and runs one
/// input; it returns when the input is accepted, throws an exception for which
/// <see cref="IsRejection"/> is true when it refuses the input as documented, and any other
/// exception is a finding.
/// </summary>
/// <remarks>
/// To fuzz another parser (the UA TCP frame parser, a secure channel header), add a class that
/// implements this interface, in its own file, with a public parameterless constructor: the
/// <see cref="FuzzTargets"/> registry finds it and <c>--target all</c> runs it.
/// </remarks>
public interface IFuzzTarget
{
    /// <summary>The name on the command line (<c>--target</c>) and in reports.</summary>
    string Name { get; }

    /// <summary>Valid inputs to start from, made with <paramref name="values"/> so the seed decides them.</summary>
    IEnumerable<byte[]> Corpus(RandomValues values);

    /// <summary>Parses <paramref name="input"/>; throws to reject it.</summary>
    void Run(byte[] input);

    /// <summary>Whether <paramref name="exception"/> is how this target refuses bad input, as opposed to a defect.</summary>
    bool IsRejection(Exception exception);
}

/// <summary>The targets built into this assembly: every concrete <see cref="IFuzzTarget"/>, by name.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } = typeof(IFuzzTarget).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IFuzzTarget).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => (IFuzzTarget)Activator.CreateInstance(t)!)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    /// <summary>The targets named in <paramref name="selection"/> ("all", or names separated by commas).</summary>
    public static IReadOnlyList<IFuzzTarget> Select(string selection)
    {
        if (string.Equals(selection, "all", StringComparison.OrdinalIgnoreCase))
        {
            return All;
        }

        var names = selection.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return names.Select(name => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"There is no target '{name}'. Targets: {string.Join(", ", All.Select(t => t.Name))}.")).ToArray();
    }

    /// <summary>The status code of a rejection, for the summary: "BadDecodingError", or the exception type.</summary>
    public static string RejectionKind(Exception exception) =>
        exception is ServiceResultException result ? result.StatusCode.Name : exception.GetType().Name;
}
