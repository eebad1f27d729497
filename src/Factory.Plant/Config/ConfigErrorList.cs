namespace Factory.Plant.Config;

/// <summary>The errors found in one file so far, by every stage; handed out in document order.</summary>
internal sealed class ConfigErrorList(string file)
{
    private readonly List<ConfigError> _errors = [];

    public string File { get; } = file;

    public int Count => _errors.Count;

    public void Add(Position at, string pointer, string message) =>
        _errors.Add(new ConfigError(File, at.Line, at.Column, PointerText.Display(pointer), message));

    public void Add(SourceMap map, string pointer, string message, bool atKey = false) =>
        Add(map.Locate(pointer, atKey), pointer, message);

    /// <summary>
    /// Sorted by place in the file; errors at the same place keep the order they were found in
    /// (schema before rules), and one finding reported twice is shown once.
    /// </summary>
    public IReadOnlyList<ConfigError> InDocumentOrder() =>
        [.. _errors.Distinct().OrderBy(e => e.Line).ThenBy(e => e.Column)];
}
