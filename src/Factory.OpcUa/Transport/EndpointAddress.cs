namespace Factory.OpcUa.Transport;

/// <summary>The host and port of an <c>opc.tcp://host[:port][/path]</c> endpoint URL (OPC 10000-6, 7.1.1).</summary>
public static class EndpointAddress
{
    public const int DefaultPort = 4840;

    /// <exception cref="ServiceResultException">BadTcpEndpointUrlInvalid, with what is wrong.</exception>
    public static (string Host, int Port) Parse(string endpointUrl)
    {
        if (!Uri.TryCreate(endpointUrl, UriKind.Absolute, out var uri) || !string.Equals(uri.Scheme, "opc.tcp", StringComparison.OrdinalIgnoreCase))
        {
            throw new ServiceResultException(Encoding.StatusCodes.BadTcpEndpointUrlInvalid, $"'{endpointUrl}' is not an opc.tcp://host:port URL");
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            throw new ServiceResultException(Encoding.StatusCodes.BadTcpEndpointUrlInvalid, $"'{endpointUrl}' names no host");
        }

        return (uri.Host, uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port);
    }
}
