namespace Factory.OpcUa.Security;

/// <summary>Security policy URIs (OPC 10000-7). This stack implements None; the others come with signing and encryption.</summary>
public static class SecurityPolicies
{
    public const string None = "http://opcfoundation.org/UA/SecurityPolicy#None";
}

/// <summary>Transport profile URIs (OPC 10000-7).</summary>
public static class TransportProfiles
{
    public const string UaTcpBinary = "http://opcfoundation.org/UA-Profile/Transport/uatcp-uasc-uabinary";
}
