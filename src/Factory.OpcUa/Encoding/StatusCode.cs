namespace Factory.OpcUa.Encoding;

/// <summary>
/// An OPC UA StatusCode (OPC 10000-4, 7.39): severity in the top two bits, a sub-code in the
/// next fourteen, and info bits below.
/// </summary>
public readonly record struct StatusCode(uint Code)
{
    public static readonly StatusCode Good = new(StatusCodes.Good);

    public bool IsGood => (Code & 0xC0000000) == 0;
    public bool IsUncertain => (Code & 0xC0000000) == 0x40000000;
    public bool IsBad => (Code & 0x80000000) != 0;

    /// <summary>The code without its info bits, for comparison with the constants in <see cref="StatusCodes"/>.</summary>
    public uint CodeBits => Code & 0xFFFF0000;

    /// <summary>The symbolic name, e.g. <c>BadNodeIdUnknown</c>, or the hex value if the code is not defined.</summary>
    public string Name => StatusCodes.NameOf(Code) ?? $"0x{Code:X8}";

    public static implicit operator StatusCode(uint code) => new(code);

    public override string ToString() =>
        (Code & 0x0000FFFF) == 0 ? Name : $"{Name} (0x{Code:X8})";
}
