using Factory.OpcUa.Encoding;
using Factory.OpcUa.Server;
using Factory.OpcUa.Server.AddressSpace;
using Factory.OpcUa.Transport;
using Factory.OpcUa.Types;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Simulator.Replay;

/// <summary>How a recording is replayed.</summary>
public sealed record ReplayOptions
{
    public string EndpointUrl { get; init; } = "opc.tcp://127.0.0.1:4850";

    /// <summary>Recorded seconds per real second: 10 plays ten times faster than recorded.</summary>
    public double Speed { get; init; } = 1;

    /// <summary>Start again at the end; the timestamps of each pass continue after the last.</summary>
    public bool Loop { get; init; }
}

/// <summary>What a replay did.</summary>
public sealed record ReplaySummary(long Rows, long Malformed, int Passes);

/// <summary>
/// Streams a recorded data set as OPC UA values: each numeric column is a Double variable
/// <c>ns=2;s=replay.&lt;column&gt;</c> under Objects/Replay, updated row by row at the recorded
/// pace (scaled by the speed) with the recorded time as source timestamp. A malformed row is
/// reported with its line number and skipped; the replay carries on.
/// </summary>
public sealed class CsvReplay : IAsyncDisposable
{
    public const string NamespaceUri = "urn:factory:replay";

    private readonly CsvRecording _recording;
    private readonly ReplayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly VariableNode[] _variables;
    private long _rows;

    public CsvReplay(CsvRecording recording, ReplayOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        if (!(options.Speed > 0) || double.IsInfinity(options.Speed))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Speed, "The speed must be a positive number.");
        }

        _recording = recording;
        _options = options;
        _time = time ?? TimeProvider.System;
        var factory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = factory.CreateLogger<CsvReplay>();
        var (host, port) = EndpointAddress.Parse(options.EndpointUrl);
        var path = new Uri(options.EndpointUrl).AbsolutePath;
        Server = new UaServer(new ServerOptions { Host = host, Port = port, Path = path == "/" ? "" : path, ApplicationUri = "urn:factory:simulator:replay", ApplicationName = "Factory replay" }, factory);
        var ns = Server.AddressSpace.RegisterNamespace(NamespaceUri);
        var folder = new NodeId("replay", ns);
        Server.AddressSpace.AddFolder(ObjectIds.ObjectsFolder, folder, "Replay", $"Replay of {System.IO.Path.GetFileName(recording.Path)}");
        _variables = [.. recording.Columns.Select(c => Server.AddressSpace.AddVariable(folder, NodeIdOf(c, ns), c, DataTypeIds.Double, Variant.Null))];
    }

    public UaServer Server { get; }

    public string EndpointUrl => Server.EndpointUrl;

    /// <summary>Rows played so far.</summary>
    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>The node id of a column's variable.</summary>
    public static NodeId NodeIdOf(string column, ushort namespaceIndex = 2) => new($"replay.{column}", namespaceIndex);

    public Task StartAsync(CancellationToken cancellationToken = default) => Server.StartAsync(cancellationToken);

    /// <summary>
    /// Plays the recording to its end (with <see cref="ReplayOptions.Loop"/>, until cancelled).
    /// <paramref name="onMalformed"/> hears of each row skipped.
    /// </summary>
    public async Task<ReplaySummary> RunAsync(Action<RecordedRow>? onMalformed = null, CancellationToken cancellationToken = default)
    {
        var realStart = _time.GetUtcNow();
        DateTimeOffset? first = null;
        var offset = TimeSpan.Zero;
        long malformed = 0;
        var passes = 0;
        do
        {
            passes++;
            DateTimeOffset? previous = null;
            DateTimeOffset? last = null;
            var interval = TimeSpan.Zero;
            foreach (var row in _recording.ReadRows())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var problem = row.Problem;
                if (problem is null && previous is { } before && row.Timestamp < before)
                {
                    problem = $"its time {row.Timestamp:O} is before the previous row's {before:O}";
                }

                if (problem is not null)
                {
                    malformed++;
                    var reported = row with { Problem = problem };
                    _logger.LogWarning("{File}:{Line}: {Problem}; row skipped", _recording.Path, row.LineNumber, problem);
                    onMalformed?.Invoke(reported);
                    continue;
                }

                first ??= row.Timestamp;
                if (previous is { } p)
                {
                    interval = row.Timestamp - p;
                }

                previous = row.Timestamp;
                last = row.Timestamp;
                var recorded = row.Timestamp + offset;
                var due = realStart + ((recorded - first.Value) / _options.Speed);
                var wait = due - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                }

                var source = recorded.UtcDateTime;
                for (var i = 0; i < _variables.Length; i++)
                {
                    if (row.Values[i] is { } value)
                    {
                        _variables[i].SetValue(new DataValue(new Variant(value), StatusCode.Good, source));
                    }
                }

                Interlocked.Increment(ref _rows);
            }

            if (last is null || first is null)
            {
                break;
            }

            // The next pass continues one row interval after this pass's last row.
            offset += last.Value - first.Value + (interval > TimeSpan.Zero ? interval : TimeSpan.FromSeconds(1));
        }
        while (_options.Loop);

        return new ReplaySummary(Rows, malformed, passes);
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync().ConfigureAwait(false);
}
