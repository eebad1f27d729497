using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Factory.Contracts.Alarms;
using Factory.Edge.Actors;
using Factory.Edge.Alarms;
using Factory.Edge.Hosting;
using Factory.Edge.Panel;
using Factory.Edge.Tests.Alarms.Support;
using Factory.Plant.Model;
using Factory.Simulator;
using Factory.Simulator.Serving;
using LineStatus = Factory.Edge.Panel.LineStatus;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Factory.Edge.Tests.Node.Support;

/// <summary>
/// The simulated plant served over OPC UA on a port of its own, and an edge node of its line
/// reading it, with its panel API on a free port: what the tests of the edge run against. Both
/// are real: our OPC UA server and client on loopback, Kestrel, the alarm journal on disk.
/// </summary>
internal sealed class EdgeHarness : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The seed of the simulated plant: models trained on its history know these very machines.</summary>
    public const ulong Seed = 7;

    private readonly ITestOutputHelper _output;
    private readonly ILoggerFactory _logs;

    public EdgeHarness(ITestOutputHelper output, Func<Machine, Machine>? change = null)
    {
        _output = output;
        _logs = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(new OutputLoggerProvider(output)));
        OpcUaPort = FreePort();
        Plant = EdgeTestPlant.Create($"opc.tcp://127.0.0.1:{OpcUaPort}", change);
    }

    public int OpcUaPort { get; }

    public PlantConfig Plant { get; }

    public TemporaryDirectory Data { get; } = new();

    public TemporaryDirectory Models { get; } = new();

    public SimulatedPlant? Simulator { get; private set; }

    public WebApplication? Node { get; private set; }

    public HttpClient Panel { get; private set; } = new();

    /// <summary>Timing shortened for tests: stale after 1.5 s of silence, sessions retried quickly, models rescanned every second.</summary>
    public EdgeTuning Tuning { get; set; } = new()
    {
        EvaluationInterval = TimeSpan.FromMilliseconds(500),
        MinimumStaleTime = TimeSpan.FromSeconds(1.5),
        KeepAliveInterval = TimeSpan.FromMilliseconds(500),
        ConnectTimeout = TimeSpan.FromSeconds(2),
        SessionRestartMinimum = TimeSpan.FromMilliseconds(200),
        SessionRestartMaximum = TimeSpan.FromSeconds(1),
        ModelScanInterval = TimeSpan.FromSeconds(1),
        StatusInterval = TimeSpan.FromMilliseconds(250),
    };

    public AlarmBookOptions AlarmOptions { get; set; } = new();

    public TimeProvider Time { get; set; } = TimeProvider.System;

    public SimulatedLineServer Line => Simulator!.Line(EdgeTestPlant.LineId);

    public AlarmFeed Feed => Node!.Services.GetRequiredService<AlarmFeed>();

    /// <summary>Serves the plant over OPC UA, starting now at real speed.</summary>
    public async Task StartSimulatorAsync()
    {
        var simulation = new PlantSimulation(Plant, new SimulationOptions { Seed = Seed, Start = DateTimeOffset.UtcNow, RandomFaults = false });
        Simulator = new SimulatedPlant(simulation, acceleration: 1, _logs, security: SimulatorSecurity);
        await Simulator.StartAsync();
    }

    public async Task StopSimulatorAsync()
    {
        if (Simulator is { } simulator)
        {
            Simulator = null;
            await simulator.DisposeAsync();
        }
    }

    /// <summary>How the simulated line's OPC UA server is secured; None and anonymous unless a test sets it.</summary>
    public LineSecurity? SimulatorSecurity { get; set; }

    /// <summary>How the edge reaches the line's server; None and anonymous unless a test sets it.</summary>
    public OpcUaAccess OpcUa { get; set; } = OpcUaAccess.Anonymous;

    /// <summary>The edge's link to a cloud; none unless a test sets it.</summary>
    public Factory.Edge.Link.CloudLinkOptions? Cloud { get; set; }

    public async Task StartEdgeAsync()
    {
        Node = EdgeNode.Build(
            new EdgeOptions
            {
                Plant = Plant,
                LineId = EdgeTestPlant.LineId,
                PanelPort = 0,
                DataDirectory = Data.Path,
                ModelsDirectory = Models.Path,
                Tuning = Tuning,
                Alarms = AlarmOptions,
                Time = Time,
                Cloud = Cloud,
                OpcUa = OpcUa,
            },
            _logs);
        await Node.StartAsync();
        Panel = new HttpClient { BaseAddress = EdgeNode.PanelUri(Node), Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task StopEdgeAsync()
    {
        if (Node is { } node)
        {
            Node = null;
            Panel.Dispose();
            await node.StopAsync();
            await node.DisposeAsync();
        }
    }

    public async Task StartAsync()
    {
        await StartSimulatorAsync();
        await StartEdgeAsync();
    }

    /// <summary>Polls the panel API until <paramref name="condition"/> holds for an alarm; fails with what was seen.</summary>
    public Task<AlarmSnapshot> WaitForAlarmAsync(string alarmId, Func<AlarmSnapshot, bool> condition, TimeSpan timeout, string because) =>
        WaitForAsync(async () => (await AlarmsAsync("all")).FirstOrDefault(a => a.AlarmId == alarmId), condition, timeout, $"{alarmId} did not become what was expected ({because})");

    public Task<LineStatus> WaitForLineAsync(Func<LineStatus, bool> condition, TimeSpan timeout, string because) =>
        WaitForAsync(
            async () =>
            {
                var response = await Panel.GetAsync("/api/line");
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<LineStatus>(Json) : null;
            },
            condition,
            timeout,
            $"The line did not become what was expected ({because})");

    public Task<ModelReport> WaitForModelsAsync(Func<ModelReport, bool> condition, string because) =>
        WaitForAsync<ModelReport>(async () => await ModelsAsync(), condition, TimeSpan.FromSeconds(10), $"The models did not become what was expected ({because})");

    /// <summary>Reads every 100 ms until what is read meets <paramref name="condition"/>; fails with <paramref name="failure"/> and the last thing read.</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> read, Func<T, bool> condition, TimeSpan timeout, string failure)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        T? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await read();
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"{failure} within {timeout}; last seen: {JsonSerializer.Serialize(last, Json)}");
    }

    public async Task<IReadOnlyList<AlarmSnapshot>> AlarmsAsync(string view = "active")
    {
        var page = await Panel.GetFromJsonAsync<AlarmPage>($"/api/alarms?view={view}", Json);
        return page!.Alarms;
    }

    public async Task<HttpResponseMessage> ActAsync(string action, object body) =>
        await Panel.PostAsJsonAsync($"/api/alarms/{action}", body, Json);

    /// <summary>Polls <c>/api/link</c> until <paramref name="condition"/> holds, or fails with what it last said.</summary>
    public async Task<Factory.Edge.Link.CloudLinkStatus> WaitForLinkAsync(Func<Factory.Edge.Link.CloudLinkStatus, bool> condition, TimeSpan timeout, string because)
    {
        Factory.Edge.Link.CloudLinkStatus? last = null;
        for (var deadline = DateTime.UtcNow + timeout; DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            last = await Panel.GetFromJsonAsync<Factory.Edge.Link.CloudLinkStatus>("/api/link", Json);
            if (last is not null && condition(last))
            {
                return last;
            }
        }

        throw new TimeoutException($"{because}: not within {timeout.TotalSeconds:0} s; /api/link said {JsonSerializer.Serialize(last, Json)}");
    }

    public async Task<ModelReport> ModelsAsync() => (await Panel.GetFromJsonAsync<ModelReport>("/api/models", Json))!;

    public async ValueTask DisposeAsync()
    {
        await StopEdgeAsync();
        await StopSimulatorAsync();
        Data.Dispose();
        Models.Dispose();
        _logs.Dispose();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public sealed record AlarmPage(DateTimeOffset? FloodSince, IReadOnlyList<AlarmSnapshot> Alarms);

    internal sealed class OutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(output, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(ITestOutputHelper output, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= (category.StartsWith("Microsoft", StringComparison.Ordinal) ? LogLevel.Warning : LogLevel.Information);

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel))
                {
                    return;
                }

                try
                {
                    output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel,-11} {category[(category.LastIndexOf('.') + 1)..]}: {formatter(state, exception)}{(exception is null ? "" : $" {exception}")}");
                }
                catch (InvalidOperationException)
                {
                    // The test has finished; late log lines have nowhere to go.
                }
            }
        }
    }
}
