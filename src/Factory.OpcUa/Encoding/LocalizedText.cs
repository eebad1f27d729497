namespace Factory.OpcUa.Encoding;

/// <summary>Human-readable text with an optional locale (OPC 10000-3, 8.5).</summary>
public sealed record LocalizedText(string? Text, string? Locale = null)
{
    public static readonly LocalizedText Null = new(null, null);

    public bool IsNull => Text is null && Locale is null;

    public static implicit operator LocalizedText(string? text) => new(text);

    public override string ToString() => Text ?? "";
}
