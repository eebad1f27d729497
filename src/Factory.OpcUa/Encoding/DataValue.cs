namespace Factory.OpcUa.Encoding;

/// <summary>
/// A value with its quality and timestamps (OPC 10000-4, 7.11; encoding OPC 10000-6, 5.2.2.17).
/// A default timestamp (<see cref="DateTime.MinValue"/>) means "not present".
/// </summary>
public readonly record struct DataValue(
    Variant Value,
    StatusCode StatusCode = default,
    DateTime SourceTimestamp = default,
    DateTime ServerTimestamp = default,
    ushort SourcePicoseconds = 0,
    ushort ServerPicoseconds = 0)
{
    public override string ToString() =>
        StatusCode.IsGood ? Value.ToString() : $"{Value} [{StatusCode}]";
}
