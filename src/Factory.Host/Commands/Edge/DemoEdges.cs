using Factory.Edge.Hosting;
using Factory.Plant.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Factory.Host.Commands.Edge;

/// <summary>
/// The edge nodes of <c>factory demo</c>: one per line of the plant, in this process, each
/// reading its line's endpoint and serving its alarm panel on the line's default port
/// (8481, 8482, ...), with the journals and outboxes under <c>data/edge</c>, sending to the demo's cloud. A line whose node cannot start
/// (its port taken, its journal locked by another node) is reported and the others go on.
/// </summary>
internal sealed class DemoEdges : IAsyncDisposable
{
    private readonly List<WebApplication> _nodes = [];
    private bool _disposed;

    /// <param name="data">Where the journals go (null: data/edge of the repository).</param>
    /// <param name="firstPanelPort">The first line's panel port, the next lines' follow (null: the default ports; 0: any free port).</param>
    /// <param name="broker">The cloud's broker every edge sends to.</param>
    public static async Task<DemoEdges> StartAsync(PlantConfig plant, string data, int? firstPanelPort, Factory.Link.BrokerAddress broker, IAnsiConsole console, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var edges = new DemoEdges();
        foreach (var (line, i) in plant.Lines.Select((l, i) => (l, i)))
        {
            var options = new EdgeOptions
            {
                Plant = plant,
                LineId = line.Id,
                PanelPort = firstPanelPort is { } first ? (first == 0 ? 0 : first + i) : EdgeOptions.PanelPortOf(plant, line.Id),
                DataDirectory = data,
                ModelsDirectory = EdgeCommand.ModelsDirectory(),
                Cloud = EdgeCommand.CloudLinkFor(broker),
            };
            try
            {
                var node = EdgeNode.Build(options, loggerFactory);
                await node.StartAsync(cancellationToken);
                edges._nodes.Add(node);
                Write(console, $"  edge {line.Id,-10} alarm panel {EdgeNode.PanelUri(node)}", Color.Green);
            }
            catch (Exception e) when (e is EdgeStartException or IOException)
            {
                Write(console, $"  edge {line.Id,-10} not started: {e.Message}", Color.Red);
            }
        }

        Write(console, $"Alarm journals and outboxes in {Path.GetFullPath(data)}; model packages from {Path.GetFullPath(EdgeCommand.ModelsDirectory())}.");
        return edges;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var node in _nodes)
        {
            await node.StopAsync(CancellationToken.None);
            await node.DisposeAsync();
        }
    }

    private static void Write(IAnsiConsole console, string text, Color? color = null)
    {
        console.Write(new Text(text, color is { } c ? new Style(c) : Style.Plain));
        console.WriteLine();
    }
}
