using Factory.Cloud.Broker;
using Factory.Edge.Hosting;
using Factory.Host.Cli;
using Factory.Host.Commands.Simulate;
using Factory.OpcUa.Client;
using Factory.OpcUa.Security;
using Factory.OpcUa.Server;
using Factory.OpcUa.Types;
using Factory.Simulator.Serving;

namespace Factory.Host.Commands.OpcUa;

/// <summary>
/// The OPC UA security options of <c>factory simulate</c> and <c>factory edge</c>: which policies
/// and modes, where the PKI folder is, and who the users are. Secrets come from the environment.
/// </summary>
internal static class OpcUaSecuritySettings
{
    /// <summary>The environment variable with the edge's OPC UA password (or <c>_FILE</c> with its path).</summary>
    public const string PasswordVariable = "FACTORY_OPCUA_PASSWORD";

    public const string Syntax = "none, secure (every policy in Sign and SignAndEncrypt), or POLICY:MODE[,POLICY:MODE...] with POLICY one of Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss and MODE Sign or SignAndEncrypt";

    /// <summary>Parses a list of endpoint securities: "none", "secure", or "Basic256Sha256:SignAndEncrypt,...".</summary>
    public static bool TryParse(string text, out IReadOnlyList<EndpointSecurity> endpoints, out string problem)
    {
        endpoints = [];
        problem = "";
        var trimmed = text.Trim();
        if (trimmed.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            endpoints = [EndpointSecurity.None];
            return true;
        }

        if (trimmed.Equals("secure", StringComparison.OrdinalIgnoreCase))
        {
            endpoints = EndpointSecurity.AllSecured;
            return true;
        }

        var list = new List<EndpointSecurity>();
        foreach (var part in trimmed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(':');
            var policy = pieces.Length == 2 ? SecurityPolicy.FindByNameOrUri(pieces[0]) : null;
            MessageSecurityMode? mode = pieces.Length == 2 && Enum.TryParse<MessageSecurityMode>(pieces[1], ignoreCase: true, out var parsed) && parsed is MessageSecurityMode.Sign or MessageSecurityMode.SignAndEncrypt ? parsed : null;
            if (policy is null || mode is null)
            {
                problem = $"'{part}' is not a security; write {Syntax}";
                return false;
            }

            list.Add(new EndpointSecurity(policy, mode.Value));
        }

        if (list.Count == 0)
        {
            problem = $"no security given; write {Syntax}";
            return false;
        }

        endpoints = list;
        return true;
    }

    /// <summary>
    /// How the simulator secures each line's server: a certificate per line in <c>&lt;pki&gt;/&lt;line&gt;</c>
    /// (made at the first run), the clients that folder trusts, and the users of a password file.
    /// </summary>
    /// <exception cref="BrokerPasswordFileException">The users file cannot be read or is malformed.</exception>
    public static LineSecurity? ForSimulator(string? security, string pki, string? usersFile, bool noAnonymous)
    {
        var endpoints = Parse(security);
        var users = usersFile is null ? null : new PasswordFileUsers(BrokerPasswordFile.Load(usersFile));
        if (endpoints.All(e => e.Policy is null) && users is null)
        {
            return null;
        }

        return (lineId, applicationUri, applicationName) =>
        {
            var store = new PkiStore(Path.Combine(pki, lineId));
            return new ServerSecurity
            {
                Endpoints = endpoints,
                Certificate = store.OwnCertificate(applicationUri, applicationName, HostNames()),
                ClientCertificates = new CertificateValidator(store, TimeProvider.System),
                AllowAnonymous = !noAnonymous,
                Users = users,
            };
        };
    }

    /// <summary>How an edge node reaches its line's servers: one policy and mode, its certificate in <paramref name="pki"/>, and a user.</summary>
    /// <exception cref="SecretException">The password file variable names a file that cannot be read.</exception>
    /// <exception cref="SetupException">A user without a password.</exception>
    public static OpcUaAccess ForEdge(string? security, string pki, string? user, string lineId) =>
        ForClient(security, pki, user, $"urn:factory:edge:{lineId}", $"Factory edge {lineId}");

    /// <summary>How a client reaches a server: one policy and mode, its certificate for <paramref name="applicationUri"/> in <paramref name="pki"/>, and a user.</summary>
    /// <exception cref="SecretException">The password file variable names a file that cannot be read.</exception>
    /// <exception cref="SetupException">A user without a password.</exception>
    public static OpcUaAccess ForClient(string? security, string pki, string? user, string applicationUri, string applicationName)
    {
        var endpoints = Parse(security);
        ClientSecurity? channel = null;
        if (endpoints[0] is { Policy: { } policy } chosen)
        {
            var store = new PkiStore(pki);
            channel = new ClientSecurity(
                policy,
                chosen.Mode,
                store.OwnCertificate(applicationUri, applicationName, HostNames()),
                new CertificateValidator(store, TimeProvider.System));
        }

        var identity = UserIdentity.Anonymous;
        if (user is not null)
        {
            var password = Secrets.FromEnvironment(PasswordVariable)
                ?? throw new SetupException($"OPC UA user {user} needs the password in {PasswordVariable} (or a file named by {PasswordVariable}_FILE)");
            identity = UserIdentity.User(user, password);
        }

        return new OpcUaAccess { Security = channel, Identity = identity, ApplicationUri = applicationUri };
    }

    private static IReadOnlyList<EndpointSecurity> Parse(string? security) =>
        TryParse(security ?? "none", out var endpoints, out var problem) ? endpoints : throw new SetupException($"--opcua-security: {problem}");

    private static string[] HostNames() => [Environment.MachineName, "localhost", "127.0.0.1"];

    /// <summary>The users of a Mosquitto-format password file (<c>factory mqtt-user</c> or mosquitto_passwd writes it).</summary>
    private sealed class PasswordFileUsers(BrokerPasswordFile file) : IUserAuthenticator
    {
        public bool Authenticate(string userName, string password) => file.Verify(userName, password);
    }
}
