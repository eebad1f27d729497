using Factory.OpcUa.Client;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Factory.Host.Commands.OpcUa;

/// <summary><c>factory opcua endpoints</c>: what a server offers (GetEndpoints).</summary>
public sealed class EndpointsCommand(IAnsiConsole console, ILoggerFactory loggerFactory) : OpcUaCommand<OpcUaSettings>(console, loggerFactory)
{
    protected override async Task<int> RunAsync(OpcUaSettings settings, CancellationToken cancellationToken)
    {
        var endpoints = await UaClient.GetEndpointsAsync(ClientOptions(settings), LoggerFactory, cancellationToken);
        if (settings.Json)
        {
            WriteJson(w =>
            {
                w.WriteStartArray();
                foreach (var e in endpoints)
                {
                    w.WriteStartObject();
                    w.WriteString("endpointUrl", e.EndpointUrl);
                    w.WriteString("securityMode", e.SecurityMode.ToString());
                    w.WriteString("securityPolicyUri", e.SecurityPolicyUri);
                    w.WriteString("transportProfileUri", e.TransportProfileUri);
                    w.WriteString("applicationUri", e.Server.ApplicationUri);
                    w.WriteStartArray("userIdentityTokens");
                    foreach (var token in e.UserIdentityTokens ?? [])
                    {
                        w.WriteStringValue(token.TokenType.ToString());
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return 0;
        }

        var table = new Table().AddColumns("Endpoint", "Security mode", "Security policy", "User tokens", "Server");
        foreach (var e in endpoints)
        {
            table.AddRow(
                new Text(e.EndpointUrl ?? ""),
                new Text(e.SecurityMode.ToString()),
                new Text(e.SecurityPolicyUri?.Split('#').Last() ?? ""),
                new Text(string.Join(", ", (e.UserIdentityTokens ?? []).Select(t => t.TokenType))),
                new Text($"{e.Server.ApplicationName?.Text} ({e.Server.ApplicationUri})"));
        }

        Console.Write(table);
        return 0;
    }
}
