namespace Factory.Link;

/// <summary>
/// Where an MQTT broker listens: <c>mqtt://host:port</c> (port 1883 when omitted), or
/// <c>mqtts://host:port</c> for MQTT over TLS (port 8883 when omitted).
/// </summary>
public sealed record BrokerAddress(string Host, int Port, bool Tls = false)
{
    public const int DefaultPort = 1883;

    public const int DefaultTlsPort = 8883;

    /// <summary>Reads <c>mqtt://host[:port]</c>, <c>mqtts://host[:port]</c> or <c>host[:port]</c>.</summary>
    /// <exception cref="FormatException">Not a broker address; the message shows the expected form.</exception>
    public static BrokerAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var candidate = text.Contains("://", StringComparison.Ordinal) ? text : "mqtt://" + text;
        if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtt" or "mqtts") || uri.Host.Length == 0
            || uri.AbsolutePath is not ("/" or "") || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new FormatException($"'{text}' is not a broker address; expected mqtt://host:port or mqtts://host:port (TLS), e.g. mqtt://127.0.0.1:1883 (credentials are given apart, never in the address).");
        }

        var tls = uri.Scheme == "mqtts";
        return new BrokerAddress(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? (tls ? DefaultTlsPort : DefaultPort) : uri.Port, tls);
    }

    /// <summary>Like <see cref="Parse"/>, with the reason instead of an exception.</summary>
    public static bool TryParse(string text, out BrokerAddress? address, out string error)
    {
        try
        {
            address = Parse(text);
            error = "";
            return true;
        }
        catch (FormatException e)
        {
            address = null;
            error = e.Message;
            return false;
        }
    }

    public override string ToString() => $"{(Tls ? "mqtts" : "mqtt")}://{Host}:{Port}";
}
