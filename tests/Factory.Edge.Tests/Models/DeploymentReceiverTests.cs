using System.Text.Json;
using Factory.Contracts.Models;
using Factory.Edge.Models;
using Factory.Edge.Tests.Alarms.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Edge.Tests.Models;

public sealed class DeploymentReceiverTests : IDisposable
{
    private readonly TemporaryDirectory _models = new();
    private readonly DeploymentReceiver _receiver;

    public DeploymentReceiverTests() => _receiver = new DeploymentReceiver("line-1", _models.Path, NullLogger.Instance);

    [Fact]
    public void The_lines_canary_overrides_the_fleet_per_model_and_both_are_kept_on_disk()
    {
        _receiver.Receive(ModelTopics.Package("pump-anomaly", 1), [1, 2, 3]);
        _receiver.Receive(ModelTopics.Package("pump-anomaly", 2), [4, 5, 6, 7]);
        _receiver.Receive(ModelTopics.Package("cnc-anomaly", 5), [8]);
        _receiver.Receive(ModelTopics.Fleet, Deployment(("pump-anomaly", 1, 3), ("cnc-anomaly", 5, 1)));
        _receiver.Receive(ModelTopics.Canary("line-1"), Deployment(("pump-anomaly", 2, 4)));

        var assignment = DeploymentReceiver.ReadAssignment(_models.Path, NullLogger.Instance);

        assignment.Values.Select(m => (m.ModelId, m.Version)).Should().BeEquivalentTo([("pump-anomaly", 2), ("cnc-anomaly", 5)]);
        File.ReadAllBytes(Path.Combine(_receiver.Directory, "pump-anomaly", "2.fmpkg")).Should().Equal(4, 5, 6, 7);
        File.ReadAllBytes(Path.Combine(_receiver.Directory, "cnc-anomaly", "5.fmpkg")).Should().Equal(8);

        _receiver.Receive(ModelTopics.Canary("line-1"), []);
        DeploymentReceiver.ReadAssignment(_models.Path, NullLogger.Instance)["pump-anomaly"].Version.Should().Be(1);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"schemaVersion\":2,\"models\":[],\"published\":\"2026-11-28T12:00:00Z\"}")]
    [InlineData("{\"schemaVersion\":1,\"models\":[{\"modelId\":\"../../etc\",\"version\":1,\"contentHash\":\"ab\",\"length\":1}],\"published\":\"2026-11-28T12:00:00Z\"}")]
    [InlineData("{\"schemaVersion\":1,\"models\":[{\"modelId\":\"pump-anomaly\",\"version\":0,\"contentHash\":\"ab\",\"length\":1}],\"published\":\"2026-11-28T12:00:00Z\"}")]
    public void A_message_that_cannot_be_read_changes_nothing(string garbage)
    {
        _receiver.Receive(ModelTopics.Package("pump-anomaly", 1), [1, 2, 3]);
        _receiver.Receive(ModelTopics.Fleet, Deployment(("pump-anomaly", 1, 3)));

        _receiver.Receive(ModelTopics.Fleet, System.Text.Encoding.UTF8.GetBytes(garbage)).Should().BeTrue();

        DeploymentReceiver.ReadAssignment(_models.Path, NullLogger.Instance).Values.Should().ContainSingle().Which.Version.Should().Be(1);
        Directory.GetDirectories(_receiver.Directory).Select(Path.GetFileName).Should().Equal("pump-anomaly");
    }

    [Fact]
    public void Topics_that_are_not_the_lines_deployment_are_not_taken()
    {
        _receiver.Receive(ModelTopics.Canary("line-2"), Deployment(("pump-anomaly", 2, 4))).Should().BeFalse();
        _receiver.Receive("factory/v1/models/../1", [1]).Should().BeFalse();
        _receiver.Receive("factory/v9/models/pump-anomaly/1", [1]).Should().BeFalse();
    }

    [Fact]
    public void A_deployment_file_that_cannot_be_read_counts_as_none()
    {
        Directory.CreateDirectory(_receiver.Directory);
        File.WriteAllText(Path.Combine(_receiver.Directory, DeploymentReceiver.FileName), "{ cut sho");

        DeploymentReceiver.ReadAssignment(_models.Path, NullLogger.Instance).Should().BeEmpty();
    }

    public void Dispose() => _models.Dispose();

    private static byte[] Deployment(params (string Id, int Version, long Length)[] models) => JsonSerializer.SerializeToUtf8Bytes(
        new ModelDeployment(ModelDeployment.CurrentSchemaVersion, [.. models.Select(m => new DeployedModel(m.Id, m.Version, new string('a', 64), m.Length))], DateTimeOffset.UtcNow),
        ModelDeploymentJsonContext.Default.ModelDeployment);
}
