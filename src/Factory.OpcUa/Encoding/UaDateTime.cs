namespace Factory.OpcUa.Encoding;

/// <summary>
/// OPC UA DateTime (OPC 10000-6, 5.2.2.5): 100-nanosecond ticks since 1601-01-01 UTC, with 0 for
/// "earliest" and Int64.MaxValue for "latest".
/// </summary>
public static class UaDateTime
{
    /// <summary>1601-01-01T00:00:00Z in .NET ticks.</summary>
    private const long EpochTicks = 504_911_232_000_000_000;

    /// <summary>The wire value of <paramref name="value"/>, clamped as the specification requires.</summary>
    public static long ToWire(DateTime value)
    {
        var ticks = Normalize(value).Ticks;
        if (ticks <= EpochTicks)
        {
            return 0;
        }

        // 9999-12-31T23:59:59Z or later is encoded as "latest".
        return ticks >= DateTime.MaxValue.Ticks - TimeSpan.TicksPerSecond + 1 ? long.MaxValue : ticks - EpochTicks;
    }

    /// <summary>The UTC DateTime of a wire value; 0 and below read as MinValue, overflow as MaxValue.</summary>
    public static DateTime FromWire(long value)
    {
        if (value <= 0)
        {
            return DateTime.MinValue;
        }

        return value >= DateTime.MaxValue.Ticks - EpochTicks
            ? DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc)
            : new DateTime(value + EpochTicks, DateTimeKind.Utc);
    }

    /// <summary>The value in UTC: local times are converted, unspecified ones taken as UTC.</summary>
    public static DateTime Normalize(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
