using Factory.OpcUa.Client;
using Factory.Simulator.Replay;
using Factory.Simulator.Tests.Support;

namespace Factory.Simulator.Tests;

/// <summary>A recorded data set streamed as OPC UA values at its recorded pace, malformed rows reported and skipped.</summary>
[Collection(nameof(RealTimeCollection))]
public sealed class ReplayTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("replay");

    public void Dispose() => _directory.Dispose();

    private string WriteCsv(params string[] lines)
    {
        var path = _directory.File("recording.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void A_recording_serves_its_numeric_columns()
    {
        var recording = CsvRecording.Open(WriteCsv("time,temperature,pressure,label", "2024-03-01T10:00:00Z,20.5,1.2,ok", "2024-03-01T10:00:01Z,20.6,1.3,ok"), "time");

        recording.Columns.Should().Equal("temperature", "pressure");
        recording.IgnoredColumns.Should().Equal("label");
        recording.ReadRows().Select(r => r.Values[0]).Should().Equal(20.5, 20.6);
    }

    [Fact]
    public void A_missing_timestamp_column_names_the_columns_there_are()
    {
        var act = () => CsvRecording.Open(WriteCsv("t,x", "1,2"), "time");

        act.Should().Throw<FormatException>().WithMessage("*has no column 'time' (columns: t, x)*");
    }

    [Theory]
    [InlineData("2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z")]
    [InlineData("2024-03-01 10:00:00", "2024-03-01T10:00:00Z")]
    [InlineData("2024-03-01T12:00:00+02:00", "2024-03-01T10:00:00Z")]
    [InlineData("1709287200", "2024-03-01T10:00:00Z")]
    [InlineData("1709287200500", "2024-03-01T10:00:00.5Z")]
    public void Timestamps_are_iso_8601_or_unix_time(string text, string expected)
    {
        CsvRecording.TryParseTimestamp(text, out var timestamp).Should().BeTrue();
        timestamp.Should().Be(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Quoted_fields_may_hold_the_delimiter()
    {
        CsvRecording.TrySplit("a,\"b, c\",\"say \"\"hi\"\"\",4", ',', out var cells, out _).Should().BeTrue();

        cells.Should().Equal("a", "b, c", "say \"hi\"", "4");
    }

    [Fact]
    public async Task A_client_receives_the_rows_in_order_with_their_recorded_timestamps_and_a_malformed_row_is_skipped()
    {
        var start = new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero);
        var lines = new List<string> { "time,speed,temperature" };
        for (var i = 0; i < 30; i++)
        {
            lines.Add(i == 12
                ? $"{start.AddSeconds(i):O},fast,{20 + i}"
                : $"{start.AddSeconds(i):O},{1000 + i},{20 + i}");
        }

        var recording = CsvRecording.Open(WriteCsv([.. lines]), "time");
        await using var replay = new CsvReplay(recording, new ReplayOptions { EndpointUrl = "opc.tcp://127.0.0.1:0", Speed = 20 });
        await replay.StartAsync();
        await using var client = await UaClient.ConnectAsync(new ClientOptions { EndpointUrl = replay.EndpointUrl });
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(50) });
        await subscription.AddItemsAsync([new MonitoredItemRequest(CsvReplay.NodeIdOf("speed"), 0, 100)]);
        var received = new List<DataChange>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var reading = Task.Run(async () =>
        {
            await foreach (var message in subscription.ReadAllAsync(stop.Token))
            {
                if (message is DataChangeMessage data)
                {
                    lock (received)
                    {
                        received.AddRange(data.Changes.Where(c => !c.Value.Value.IsNull));
                    }
                }
            }
        });
        await Task.Delay(200);
        var malformed = new List<RecordedRow>();

        var summary = await replay.RunAsync(malformed.Add, stop.Token);

        while (true)
        {
            lock (received)
            {
                if (received.Count >= 29 || stop.IsCancellationRequested)
                {
                    break;
                }
            }

            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await reading.ContinueWith(_ => { });
        summary.Should().Be(new ReplaySummary(29, 1, 1));
        malformed.Should().ContainSingle().Which.Should().Match<RecordedRow>(r => r.LineNumber == 14 && r.Problem!.Contains("'fast' in 'speed' is not a number"));
        var values = received.Select(c => (double)c.Value.Value.Value!).ToList();
        values.Should().Equal(Enumerable.Range(0, 30).Where(i => i != 12).Select(i => 1000.0 + i), "every good row arrives, in order");
        received.Select(c => c.Value.SourceTimestamp).Should().Equal(Enumerable.Range(0, 30).Where(i => i != 12).Select(i => start.AddSeconds(i).UtcDateTime));
    }

    [Fact]
    public async Task Rows_are_played_at_the_recorded_pace_scaled_by_the_speed()
    {
        var recording = CsvRecording.Open(WriteCsv("time,x", "0,1", "10,2", "20,3"), "time");
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var replay = new CsvReplay(recording, new ReplayOptions { EndpointUrl = "opc.tcp://127.0.0.1:0", Speed = 2 }, time: time);

        var run = replay.RunAsync();
        await RowsReach(replay, 1);
        time.Advance(TimeSpan.FromSeconds(4.9));
        await Task.Delay(100);
        replay.Rows.Should().Be(1, "the second row was recorded 10 s later, 5 s at double speed");
        time.Advance(TimeSpan.FromSeconds(0.2));
        await RowsReach(replay, 2);
        time.Advance(TimeSpan.FromSeconds(5));

        (await run).Rows.Should().Be(3);
    }

    private static async Task RowsReach(CsvReplay replay, long rows)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (replay.Rows < rows)
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
