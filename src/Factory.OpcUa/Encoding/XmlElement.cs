namespace Factory.OpcUa.Encoding;

/// <summary>
/// An XML fragment carried as UTF-8 text (OPC 10000-6, 5.2.2.8). It is kept as text: the stack
/// never parses it, so no XML parser is exposed to data from the network.
/// </summary>
public readonly record struct XmlElement(string? OuterXml)
{
    public bool IsNull => OuterXml is null;

    public override string ToString() => OuterXml ?? "";
}
