using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;

namespace Factory.Benchmarks;

/// <summary>
/// The client's hot path: one PublishResponse carrying a DataChangeNotification of
/// <see cref="Changes"/> MonitoredItemNotifications, decoded from its chunk body exactly as the
/// client receives it (<see cref="BinaryDecoder.ReadMessage"/> with <see cref="StandardTypes.All"/>),
/// and the same message encoded as a server sends it. Each value carries a source and a server
/// timestamp and status Good, as a server sampling a PLC reports them.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class PublishResponseBenchmarks : IDisposable
{
    public static int Changes => 1_000;

    private byte[] _body = [];
    private PublishResponse _message = null!;
    private BinaryEncoder _encoder = null!;

    [Params(ValueKind.Double, ValueKind.Float, ValueKind.Int32, ValueKind.String)]
    public ValueKind Values { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _message = Build(Values);
        using (var encoder = new BinaryEncoder())
        {
            encoder.WriteMessage(_message);
            _body = encoder.ToArray();
        }

        _encoder = new BinaryEncoder(_body.Length);

        // A benchmark of a decoder that silently does less would be worthless: check it reads everything.
        var decoded = (PublishResponse)new BinaryDecoder(_body, StandardTypes.All).ReadMessage();
        if (!decoded.NotificationMessage.NotificationData![0].TryGetBody<DataChangeNotification>(out var notification)
            || notification.MonitoredItems!.Length != Changes
            || !notification.MonitoredItems.AsSpan().SequenceEqual(((DataChangeNotification)_message.NotificationMessage.NotificationData![0].Body!).MonitoredItems))
        {
            throw new InvalidOperationException("The PublishResponse did not decode to the message that was encoded.");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _encoder?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public IEncodeable Decode() => new BinaryDecoder(_body, StandardTypes.All).ReadMessage();

    [Benchmark]
    public int Encode()
    {
        _encoder.Reset();
        _encoder.WriteMessage(_message);
        return _encoder.Length;
    }

    /// <summary>
    /// A publish of <see cref="Changes"/> values sampled in the last second: client handles 1..n,
    /// values that drift like sensor readings, source timestamps spread over the second.
    /// </summary>
    public static PublishResponse Build(ValueKind kind)
    {
        var publishTime = new DateTime(2024, 11, 28, 10, 30, 15, 250, DateTimeKind.Utc);
        var states = new[] { "Running", "Idle", "Stopped", "Fault E042", "Maintenance", "Starting up" };
        var items = new MonitoredItemNotification[Changes];
        for (var i = 0; i < items.Length; i++)
        {
            var reading = 20 + (10 * Math.Sin(i * 0.37)) + (i % 7 * 0.013);
            Variant value = kind switch
            {
                ValueKind.Double => new Variant(reading),
                ValueKind.Float => new Variant((float)reading),
                ValueKind.Int32 => new Variant((int)(reading * 100)),
                _ => new Variant(states[i % states.Length]),
            };
            var sourceTime = publishTime.AddTicks(-((i * 9_973L) % TimeSpan.TicksPerSecond));
            items[i] = new MonitoredItemNotification((uint)(i + 1), new DataValue(value, StatusCode.Good, sourceTime, publishTime));
        }

        return new PublishResponse(
            new ResponseHeader(publishTime, RequestHandle: 4711, ServiceResult: StatusCode.Good),
            SubscriptionId: 17,
            AvailableSequenceNumbers: [1234],
            MoreNotifications: false,
            new NotificationMessage(1234, publishTime, [new ExtensionObject(new DataChangeNotification(items, []))]),
            Results: [],
            DiagnosticInfos: []);
    }

    public enum ValueKind
    {
        Double,
        Float,
        Int32,
        String,
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(PerChangeColumn.ChangesPerSecond, PerChangeColumn.AllocatedPerChange);
        }
    }
}
