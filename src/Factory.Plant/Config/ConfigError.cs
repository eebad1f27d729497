namespace Factory.Plant.Config;

/// <summary>
/// One thing wrong in a plant configuration file, where it is and what is wrong, in words a
/// plant engineer understands.
/// </summary>
/// <param name="File">The file as it was named when loaded.</param>
/// <param name="Line">The line, from 1; 0 when the error concerns the file as a whole (not found, unreadable).</param>
/// <param name="Column">The column, from 1; 0 with <paramref name="Line"/> 0.</param>
/// <param name="Path">
/// Where in the document, as a JSON pointer, e.g. <c>/site/areas/0/lines/1/machines/3/sensors/0/limits/h</c>;
/// <c>/</c> for the document as a whole.
/// </param>
/// <param name="Message">What is wrong, e.g. "limit h (95) must be below hh (90)".</param>
public sealed record ConfigError(string File, int Line, int Column, string Path, string Message)
{
    /// <summary>The compiler format <c>file:line:column: path: message</c>, so editors can jump to it.</summary>
    public override string ToString() =>
        Line > 0 ? $"{File}:{Line}:{Column}: {Path}: {Message}" : $"{File}: {Message}";
}
