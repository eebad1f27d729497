using System.Security.Cryptography.X509Certificates;
using Factory.OpcUa.Security;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Server;

/// <summary>One security policy and mode a server's endpoint offers; a policy of null is None.</summary>
public sealed record EndpointSecurity(SecurityPolicy? Policy, MessageSecurityMode Mode)
{
    public static EndpointSecurity None { get; } = new(null, MessageSecurityMode.None);

    public string PolicyUri => Policy?.Uri ?? SecurityPolicies.None;

    /// <summary>How strong the endpoint is relative to the others (OPC 10000-4, 7.14's SecurityLevel).</summary>
    public byte Level => Policy is null ? (byte)0 : (byte)((Mode == MessageSecurityMode.SignAndEncrypt ? 10 : 5) + SecurityPolicy.All.ToList().IndexOf(Policy));

    /// <summary>Every RSA policy in modes Sign and SignAndEncrypt: what a secured server offers unless told otherwise.</summary>
    public static IReadOnlyList<EndpointSecurity> AllSecured { get; } =
    [
        .. SecurityPolicy.All.SelectMany(p => new[] { new EndpointSecurity(p, MessageSecurityMode.SignAndEncrypt), new EndpointSecurity(p, MessageSecurityMode.Sign) }),
    ];

    public override string ToString() => Policy is null ? "None" : $"{Policy.Name} {Mode}";
}

/// <summary>Checks a user name and password (a user name identity token, OPC 10000-4, 7.41.3).</summary>
public interface IUserAuthenticator
{
    /// <summary>Whether <paramref name="userName"/> may connect with <paramref name="password"/>.</summary>
    bool Authenticate(string userName, string password);
}

/// <summary>
/// How a <see cref="UaServer"/> secures its endpoints: which policies and modes it offers, its
/// application certificate, whose certificates it trusts, and which users it lets in. The default
/// is the demo's: SecurityPolicy None and anonymous users only. A server that does not offer None
/// still lets a client open a None channel for discovery (GetEndpoints, FindServers) and nothing else.
/// </summary>
public sealed record ServerSecurity
{
    public static ServerSecurity None { get; } = new();

    /// <summary>The policies and modes offered, one endpoint each.</summary>
    public IReadOnlyList<EndpointSecurity> Endpoints { get; init; } = [EndpointSecurity.None];

    /// <summary>The server's application instance certificate with its private key; required for any policy but None and for user names.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Decides which clients' certificates are accepted; required for any policy but None.</summary>
    public CertificateValidator? ClientCertificates { get; init; }

    /// <summary>Whether anonymous users may activate sessions.</summary>
    public bool AllowAnonymous { get; init; } = true;

    /// <summary>The users who may activate sessions with a user name and password; null offers no user name tokens.</summary>
    public IUserAuthenticator? Users { get; init; }

    internal bool OffersNone => Endpoints.Any(e => e.Policy is null);

    internal void Validate()
    {
        if (Endpoints.Count == 0)
        {
            throw new ArgumentException("A server must offer at least one endpoint security (policy and mode).");
        }

        if (Endpoints.Any(e => e.Policy is null != (e.Mode == MessageSecurityMode.None) || e.Mode == MessageSecurityMode.Invalid))
        {
            throw new ArgumentException("SecurityPolicy None goes with mode None only, and every other policy with Sign or SignAndEncrypt.");
        }

        if ((Endpoints.Any(e => e.Policy is not null) || Users is not null) && Certificate?.HasPrivateKey != true)
        {
            throw new ArgumentException("A secured endpoint or user names need the server's application certificate with its private key.");
        }

        if (Endpoints.Any(e => e.Policy is not null) && ClientCertificates is null)
        {
            throw new ArgumentException("A secured endpoint needs a certificate validator for the clients' certificates.");
        }

        if (!AllowAnonymous && Users is null)
        {
            throw new ArgumentException("A server that refuses anonymous users needs users who can log in.");
        }
    }
}
