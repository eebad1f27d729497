using Factory.OpcUa.Client;

namespace Factory.Edge.Hosting;

/// <summary>
/// How the edge reaches its line's OPC UA servers: the channel's policy, mode and certificates
/// (none: SecurityPolicy None), the user its sessions act for, and the application URI its
/// certificate names.
/// </summary>
public sealed record OpcUaAccess
{
    /// <summary>SecurityPolicy None, anonymous: the demo's.</summary>
    public static OpcUaAccess Anonymous { get; } = new();

    public ClientSecurity? Security { get; init; }

    public UserIdentity Identity { get; init; } = UserIdentity.Anonymous;

    public string ApplicationUri { get; init; } = "urn:factory:opcua-client";

    public override string ToString() => $"{Security?.ToString() ?? "SecurityPolicy None"}, {Identity}";
}
