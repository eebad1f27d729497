using System.Security.Cryptography.X509Certificates;
using Factory.OpcUa.Security;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Client;

/// <summary>
/// How a client secures its channel: the policy and mode to ask for, its application instance
/// certificate, and which servers' certificates it trusts. The client first asks the server for
/// its endpoints on a None channel, takes the certificate of the endpoint with this policy and
/// mode, and refuses the server unless <see cref="ServerCertificates"/> accepts it.
/// </summary>
public sealed record ClientSecurity(SecurityPolicy Policy, MessageSecurityMode Mode, X509Certificate2 Certificate, CertificateValidator ServerCertificates)
{
    public override string ToString() => $"{Policy.Name} {Mode}";
}

/// <summary>Who a session acts for (OPC 10000-4, 7.41): anonymous, or a user name with its password.</summary>
public sealed class UserIdentity
{
    private UserIdentity(string? userName, string? password)
    {
        UserName = userName;
        Password = password;
    }

    public static UserIdentity Anonymous { get; } = new(null, null);

    /// <summary>Null for anonymous.</summary>
    public string? UserName { get; }

    internal string? Password { get; }

    public static UserIdentity User(string userName, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentNullException.ThrowIfNull(password);
        return new UserIdentity(userName, password);
    }

    /// <summary>The user's name, never the password.</summary>
    public override string ToString() => UserName is null ? "anonymous" : $"user '{UserName}'";
}
