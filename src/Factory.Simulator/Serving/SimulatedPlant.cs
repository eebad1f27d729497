using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Simulator.Serving;

/// <summary>
/// How a line's OPC UA server is secured, given the line's id, application URI and name (each
/// line's server is an application of its own, with its own certificate).
/// </summary>
public delegate Factory.OpcUa.Server.ServerSecurity LineSecurity(string lineId, string applicationUri, string applicationName);

/// <summary>
/// The simulated plant served over OPC UA: one <see cref="SimulatedLineServer"/> per line, each
/// on the line's configured endpoint, all driven by one <see cref="SimulatedClock"/>.
/// </summary>
public sealed class SimulatedPlant : IAsyncDisposable
{
    private readonly ConcurrentQueue<SimulationEvent> _events = new();
    private readonly ILogger _logger;
    private bool _started;

    /// <param name="simulation">The plant's physics, starting at its <see cref="SimulationOptions.Start"/>.</param>
    /// <param name="acceleration">Simulated seconds per real second.</param>
    /// <param name="time">Real time: the system clock, or a fake one in tests.</param>
    /// <param name="security">How each line's server is secured; SecurityPolicy None with anonymous users when null.</param>
    /// <exception cref="SimulatorConfigurationException">A node id of the configuration cannot be served.</exception>
    public SimulatedPlant(PlantSimulation simulation, double acceleration, ILoggerFactory? loggerFactory = null, TimeProvider? time = null, LineSecurity? security = null)
    {
        var factory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = factory.CreateLogger<SimulatedPlant>();
        Simulation = simulation;
        Clock = new SimulatedClock(simulation.Start, acceleration, time ?? TimeProvider.System);
        var lines = new List<SimulatedLineServer>();
        var errors = new List<string>();
        foreach (var line in simulation.Lines)
        {
            try
            {
                lines.Add(new SimulatedLineServer(simulation.Plant, line, Clock, _events.Enqueue, factory, security));
            }
            catch (SimulatorConfigurationException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        if (errors.Count > 0)
        {
            throw new SimulatorConfigurationException(errors);
        }

        Lines = lines;
    }

    public PlantSimulation Simulation { get; }

    public SimulatedClock Clock { get; }

    public IReadOnlyList<SimulatedLineServer> Lines { get; }

    /// <summary>The line served for <paramref name="lineId"/>.</summary>
    public SimulatedLineServer Line(string lineId) =>
        Lines.FirstOrDefault(l => l.Line.Line.Id == lineId) ?? throw new KeyNotFoundException($"No line '{lineId}' is simulated.");

    /// <summary>Starts every line's server and update loop; a line whose port is taken fails the start (the others are stopped).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_started)
        {
            throw new InvalidOperationException("The simulated plant is already started.");
        }

        _started = true;
        try
        {
            foreach (var line in Lines)
            {
                await line.StartAsync(cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Line {Line} served on {Endpoint}", line.Line.Line.Id, line.EndpointUrl);
            }
        }
        catch
        {
            await StopAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Events (fault onsets, failures, maintenance) since the last call, as the lines saw them.</summary>
    public IReadOnlyList<SimulationEvent> TakeEvents()
    {
        var events = new List<SimulationEvent>();
        while (_events.TryDequeue(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    public async Task StopAsync()
    {
        foreach (var line in Lines)
        {
            await line.StopAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var line in Lines)
        {
            await line.DisposeAsync().ConfigureAwait(false);
        }
    }
}
