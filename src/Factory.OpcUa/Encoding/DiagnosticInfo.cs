namespace Factory.OpcUa.Encoding;

/// <summary>
/// Vendor-specific diagnostics of an operation (OPC 10000-4, 7.12). The string fields are
/// indexes into the response header's string table; -1 means absent.
/// </summary>
public sealed record DiagnosticInfo(
    int SymbolicId = -1,
    int NamespaceUri = -1,
    int Locale = -1,
    int LocalizedText = -1,
    string? AdditionalInfo = null,
    StatusCode? InnerStatusCode = null,
    DiagnosticInfo? InnerDiagnosticInfo = null);
