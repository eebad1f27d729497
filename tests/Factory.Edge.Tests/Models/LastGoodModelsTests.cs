using Factory.Contracts.Models;
using Factory.Edge.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Edge.Tests.Models;

public sealed class LastGoodModelsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("factory-last-good-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_recorded_version_is_read_back_after_a_restart_and_replaces_the_older_one_of_its_model()
    {
        var pump1 = new DeployedModel("pump-anomaly", 1, new string('a', 64), 100);
        var press = new DeployedModel("press-anomaly", 4, new string('b', 64), 200);
        var pump2 = new DeployedModel("pump-anomaly", 2, new string('c', 64), 300);
        var known = LastGoodModels.Read(_directory, NullLogger.Instance);
        known.Should().BeEmpty("nothing was recorded yet");

        known = LastGoodModels.Record(_directory, known, pump1, DateTimeOffset.UnixEpoch);
        known = LastGoodModels.Record(_directory, known, press, DateTimeOffset.UnixEpoch);
        known = LastGoodModels.Record(_directory, known, pump2, DateTimeOffset.UnixEpoch);

        var read = LastGoodModels.Read(_directory, NullLogger.Instance);
        read.Should().BeEquivalentTo(new Dictionary<string, DeployedModel> { ["pump-anomaly"] = pump2, ["press-anomaly"] = press });
        known.Should().BeEquivalentTo(read);
        File.Exists(Path.Combine(_directory, DeploymentReceiver.FolderName, LastGoodModels.FileName + ".partial")).Should().BeFalse("the file is written atomically");
    }

    [Fact]
    public void A_corrupt_record_reads_as_none_and_is_replaced_by_the_next_good_version()
    {
        var path = Path.Combine(_directory, DeploymentReceiver.FolderName, LastGoodModels.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{\"schemaVersion\": 1, \"models\": [");

        var known = LastGoodModels.Read(_directory, NullLogger.Instance);
        known.Should().BeEmpty();

        var pump = new DeployedModel("pump-anomaly", 3, new string('d', 64), 10);
        LastGoodModels.Record(_directory, known, pump, DateTimeOffset.UnixEpoch);
        LastGoodModels.Read(_directory, NullLogger.Instance).Should().ContainKey("pump-anomaly").WhoseValue.Should().Be(pump);
    }
}
