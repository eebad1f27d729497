using System.Net;
using System.Text;
using Factory.Cloud.Storage;
using Factory.Cloud.Tests.Support;
using static Factory.Cloud.Tests.Storage.TelemetrySamples;

namespace Factory.Cloud.Tests.Storage;

/// <summary>The contract on a real InfluxDB 1.6 (one influxd for the class, a fresh database per test).</summary>
public sealed class InfluxTelemetryStoreTests(InfluxFixture influx) : TelemetryStoreContract, IClassFixture<InfluxFixture>
{
    protected override Task<ITelemetryStore> OpenStoreAsync() =>
        Task.FromResult<ITelemetryStore>(new InfluxTelemetryStore(
            new InfluxTelemetryStoreOptions { BaseUri = influx.BaseUri, Database = $"test_{Guid.NewGuid():N}", BatchSize = 7 },
            new ListLogger<InfluxTelemetryStore>()));

    [Fact]
    public async Task The_database_is_created_at_first_use_and_the_server_answers_ping()
    {
        var store = (InfluxTelemetryStore)Store;

        (await store.PingAsync(Ct)).Should().BeTrue();
        await store.WriteAsync(Batch(summaries: [Summary()]), Ct);

        using var http = new HttpClient();
        var databases = await http.GetStringAsync(new Uri(influx.BaseUri, "query?q=SHOW%20DATABASES"));
        databases.Should().Contain(store.Database);
    }

    [Fact]
    public async Task A_batch_larger_than_the_batch_size_is_written_whole_in_several_requests()
    {
        // BatchSize is 7: 100 summaries and 2 windows of 60 samples each take many requests.
        await Store.WriteAsync(Batch(summaries: [.. Enumerable.Range(0, 100).Select(i => Summary(index: i))], windows: [Window(index: 0), Window(index: 1)]), Ct);

        (await Store.CountSummariesAsync(null, Ct)).Should().Be(100);
        (await Store.AnomalyWindowsAsync("line-1", "cnc-01", T0, T0.AddHours(1), Ct)).Should().BeEquivalentTo([Window(index: 0), Window(index: 1)]);
    }
}

/// <summary>What InfluxDB's failures look like to the ingest pipeline: on an influxd of its own, which these tests stop and start.</summary>
public sealed class InfluxTelemetryStoreFailureTests(InfluxFixture influx) : IClassFixture<InfluxFixture>
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_stopped_influxd_gives_a_transient_failure_naming_the_server_and_a_restarted_one_takes_the_write()
    {
        using var store = Open();
        await store.WriteAsync(Batch(summaries: [Summary(index: 0)]), Ct);

        await influx.StopAsync();
        try
        {
            var write = () => store.WriteAsync(Batch(summaries: [Summary(index: 1)]), Ct);
            var failure = (await write.Should().ThrowAsync<TelemetryStoreException>()).Which;
            failure.Transient.Should().BeTrue();
            failure.Message.Should().Contain(influx.BaseUri.ToString()).And.Contain("cannot be reached");

            var query = () => store.CountSummariesAsync(null, Ct);
            (await query.Should().ThrowAsync<TelemetryStoreException>()).Which.Transient.Should().BeTrue();
        }
        finally
        {
            await influx.StartAsync();
        }

        await store.WriteAsync(Batch(summaries: [Summary(index: 1)]), Ct);
        (await store.CountSummariesAsync(null, Ct)).Should().Be(2);
    }

    [Fact]
    public async Task A_write_influxdb_refuses_gives_a_failure_that_is_not_transient_with_influxdbs_reason()
    {
        using var store = Open();

        // Another writer made "count" a float in this database (field types are fixed per shard, so at the same time): InfluxDB refuses our integer with 400.
        await store.WriteAsync(Batch(health: [Health()]), Ct);
        using var http = new HttpClient();
        using var conflict = await http.PostAsync(
            new Uri(influx.BaseUri, $"write?db={store.Database}&precision=ns"),
            new StringContent($"sensor_summary,line=line-1,machine=cnc-01,sensor=other count=1.5 {T0.ToUnixTimeMilliseconds() * 1_000_000}\n", Encoding.UTF8));
        conflict.StatusCode.Should().Be(HttpStatusCode.NoContent);

        var write = () => store.WriteAsync(Batch(summaries: [Summary()]), Ct);

        var failure = (await write.Should().ThrowAsync<TelemetryStoreException>()).Which;
        failure.Transient.Should().BeFalse();
        failure.Message.Should().Contain(influx.BaseUri.ToString()).And.Contain("HTTP 400").And.Contain("field type conflict");
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_gives_a_transient_timeout()
    {
        // A listener that accepts and never answers.
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var uri = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/");
        using var store = new InfluxTelemetryStore(new InfluxTelemetryStoreOptions { BaseUri = uri, Timeout = TimeSpan.FromMilliseconds(500) }, new ListLogger<InfluxTelemetryStore>());

        var write = () => store.WriteAsync(Batch(summaries: [Summary()]), Ct);

        var failure = (await write.Should().ThrowAsync<TelemetryStoreException>()).Which;
        failure.Transient.Should().BeTrue();
        failure.Message.Should().Contain(uri.ToString()).And.Contain("did not answer");
    }

    [Fact]
    public void Options_that_cannot_work_are_refused_naming_each_key_and_the_password_is_never_shown()
    {
        var options = new InfluxTelemetryStoreOptions { BaseUri = new Uri("ftp://influx/"), Database = " ", BatchSize = 0, Timeout = TimeSpan.Zero, User = "factory", Password = "s3cret" };

        var open = () => new InfluxTelemetryStore(options, new ListLogger<InfluxTelemetryStore>());

        open.Should().Throw<ArgumentException>().Which.Message.Should()
            .Contain("Influx:BaseUri").And.Contain("Influx:Database").And.Contain("Influx:BatchSize").And.Contain("Influx:Timeout").And.NotContain("s3cret");
        options.ToString().Should().Contain("factory").And.NotContain("s3cret");
    }

    private InfluxTelemetryStore Open() =>
        new(new InfluxTelemetryStoreOptions { BaseUri = influx.BaseUri, Database = $"test_{Guid.NewGuid():N}", Timeout = TimeSpan.FromSeconds(5) }, new ListLogger<InfluxTelemetryStore>());
}
