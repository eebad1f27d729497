using Factory.Cloud.Models;
using Factory.Cloud.Storage;
using Factory.Contracts.Alarms;
using Factory.Contracts.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Factory.Cloud.Tests.Models;

[Collection(RegistryPackagesCollection.Name)]
public sealed class ModelRegistryTests : IDisposable
{
    private const string Id = RegistryPackages.ModelId;

    private readonly RegistryPackages _packages;
    private readonly string _data = Directory.CreateTempSubdirectory("factory-registry-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));
    private readonly EmbeddedTelemetryStore _store;
    private readonly ModelRegistry _registry;

    public ModelRegistryTests(RegistryPackages packages)
    {
        _packages = packages;
        _store = new EmbeddedTelemetryStore(Path.Combine(_data, "telemetry"), NullLogger.Instance);
        _registry = ModelRegistry.Open(_data, new StoredAlarmRates(_store), _time);
    }

    [Fact]
    public async Task A_registered_package_is_a_candidate_kept_as_a_file_and_audited()
    {
        var source = _packages.Write(1, name: "-9");
        var info = await RegisterAsync(source);

        info.Stage.Should().Be(ModelStage.Candidate);
        info.MachineType.Should().Be("cnc-spindle");
        info.Metrics.Should().ContainKey("heldOutFalseAlarmRate");
        var file = await _registry.PackageFileAsync(Id, 1, default);
        file.Should().StartWith(_registry.PackagesDirectory);
        (await File.ReadAllBytesAsync(file)).Should().Equal(await File.ReadAllBytesAsync(source));
        (await _registry.AuditAsync(Id, 10, default)).Should().ContainSingle()
            .Which.Should().Match<ModelAuditEntry>(a => a.Action == "register" && a.Actor == "alice" && a.Version == 1);
    }

    [Fact]
    public async Task A_tampered_package_is_refused_naming_the_file_and_the_hash_mismatch()
    {
        var path = _packages.Write(5, name: "-tampered");
        RegistryPackages.Tamper(path);

        var act = () => RegisterAsync(path);

        (await act.Should().ThrowAsync<ModelRegistryException>())
            .Which.Message.Should().StartWith($"Refused {Path.GetFileName(path)}: Model package {Path.GetFileName(path)}").And.Contain("hash");
        (await _registry.ListAsync(default)).Should().BeEmpty();
        Directory.GetFiles(_registry.PackagesDirectory, "*", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public async Task Garbage_is_refused_as_not_a_model_package()
    {
        var act = () => _registry.RegisterAsync(new MemoryStream("not a zip"u8.ToArray()), "upload.fmpkg", "alice", default);

        (await act.Should().ThrowAsync<ModelRegistryException>()).Which.Message.Should().StartWith("Refused upload.fmpkg: Model package upload.fmpkg: not a model package");
    }

    [Fact]
    public async Task The_same_version_with_other_content_is_refused_and_the_same_content_again_changes_nothing()
    {
        await RegisterAsync(1, threshold: 9f);

        var again = await RegisterAsync(1, threshold: 9f);
        var other = () => RegisterAsync(1, threshold: 10f);

        again.Version.Should().Be(1);
        (await other.Should().ThrowAsync<ModelRegistryException>()).Which.Error.Should().Be(ModelRegistryError.Conflict);
        (await _registry.AuditAsync(Id, 10, default)).Should().ContainSingle();
    }

    [Fact]
    public async Task Unknown_models_and_versions_are_named_with_what_is_registered()
    {
        await RegisterAsync(1);

        var model = () => _registry.VersionsAsync("no-such-model", default);
        var version = () => _registry.PromoteToCanaryAsync(Id, 9, "line-2", "alice", default);

        (await model.Should().ThrowAsync<ModelRegistryException>()).Which.Message.Should().Be($"No model 'no-such-model' in the registry (registered: {Id}).");
        (await version.Should().ThrowAsync<ModelRegistryException>()).Which.Message.Should().Be($"{Id} has no version 9 (registered: 1).");
    }

    [Fact]
    public async Task Versions_move_from_candidate_to_canary_to_fleet_and_roll_back_with_every_change_audited()
    {
        await RegisterAsync(1);
        await RegisterAsync(2, threshold: 8f);

        var first = await _registry.PromoteToFleetAsync(Id, 1, "alice", force: false, default);
        first.FleetVersion.Should().Be(1);

        var canary = await _registry.PromoteToCanaryAsync(Id, 2, "line-2", "bob", default);
        canary.Should().Match<ModelAssignment>(a => a.FleetVersion == 1 && a.CanaryVersion == 2 && a.CanaryLine == "line-2");
        (await _registry.GetAsync(Id, 2, default)).Should().Match<ModelVersionInfo>(v => v.Stage == ModelStage.Canary && v.CanaryLine == "line-2");

        _time.Advance(TimeSpan.FromHours(2));
        var fleet = await _registry.PromoteToFleetAsync(Id, 2, "bob", force: false, default);
        fleet.Should().Match<ModelAssignment>(a => a.FleetVersion == 2 && a.CanaryVersion == null);
        (await _registry.GetAsync(Id, 1, default)).Stage.Should().Be(ModelStage.Retired);

        var back = await _registry.RollbackAsync(Id, canaryOnly: false, "carol", default);
        back.FleetVersion.Should().Be(1);
        (await _registry.GetAsync(Id, 1, default)).Stage.Should().Be(ModelStage.Fleet);
        (await _registry.GetAsync(Id, 2, default)).Stage.Should().Be(ModelStage.Retired);

        (await _registry.AuditAsync(Id, 100, default)).Select(a => (a.Action, a.Actor, a.Version)).Should().Equal(
            ("rollback-fleet", "carol", 1),
            ("promote-fleet", "bob", 2),
            ("promote-canary", "bob", 2),
            ("promote-fleet", "alice", 1),
            ("register", "alice", 2),
            ("register", "alice", 1));
    }

    [Fact]
    public async Task The_first_fleet_version_cannot_be_rolled_back_and_a_canary_rolls_back_to_the_fleet()
    {
        await RegisterAsync(1);
        await RegisterAsync(2, threshold: 8f);
        await _registry.PromoteToFleetAsync(Id, 1, "alice", force: false, default);
        await _registry.PromoteToCanaryAsync(Id, 2, "line-2", "alice", default);

        var canaryBack = await _registry.RollbackAsync(Id, canaryOnly: true, "alice", default);
        var fleetBack = () => _registry.RollbackAsync(Id, canaryOnly: false, "alice", default);

        canaryBack.Should().Match<ModelAssignment>(a => a.FleetVersion == 1 && a.CanaryVersion == null && a.CanaryLine == null);
        (await fleetBack.Should().ThrowAsync<ModelRegistryException>()).Which.Message.Should().Contain("first fleet version");
    }

    [Fact]
    public async Task A_version_that_has_not_run_as_canary_goes_to_the_fleet_only_when_forced_and_audited_so()
    {
        await RegisterAsync(1);
        await RegisterAsync(2, threshold: 8f);
        await _registry.PromoteToFleetAsync(Id, 1, "alice", force: false, default);

        var refused = () => _registry.PromoteToFleetAsync(Id, 2, "alice", force: false, default);
        (await refused.Should().ThrowAsync<ModelRegistryException>()).Which.Message.Should().Contain("has not run as canary");

        (await _registry.PromoteToFleetAsync(Id, 2, "alice", force: true, default)).FleetVersion.Should().Be(2);
        (await _registry.AuditAsync(Id, 1, default)).Single().Should().Match<ModelAuditEntry>(a => a.Action == "promote-fleet-forced" && a.Detail.Contains("forced without a canary"));
    }

    [Fact]
    public async Task A_canary_that_alarms_worse_than_the_fleet_is_refused_with_the_figures()
    {
        await RegisterAsync(1);
        await RegisterAsync(2, threshold: 8f);
        await _registry.PromoteToFleetAsync(Id, 1, "alice", force: false, default);
        var canaryStart = _time.GetUtcNow();
        await _registry.PromoteToCanaryAsync(Id, 2, "line-2", "alice", default);
        await StoreAsync(canaryStart, ("line-1", "cnc-01", 1), ("line-1", "cnc-02", 1), ("line-2", "cnc-01", 6));
        _time.Advance(TimeSpan.FromHours(2));

        var act = () => _registry.PromoteToFleetAsync(Id, 2, "alice", force: false, default);

        var refusal = (await act.Should().ThrowAsync<ModelRegistryException>()).Which;
        refusal.Error.Should().Be(ModelRegistryError.CanaryWorse);
        refusal.Message.Should().Contain("canary line 'line-2' 3 anomaly alarms per machine-hour (6 in 2 machine-hours)")
            .And.Contain("fleet 0.5 (2 in 4 machine-hours)");
        (await _registry.GetAsync(Id, 2, default)).Stage.Should().Be(ModelStage.Canary);

        (await _registry.PromoteToFleetAsync(Id, 2, "alice", force: true, default)).FleetVersion.Should().Be(2);
        (await _registry.AuditAsync(Id, 1, default)).Single().Detail.Should().Contain("forced although the canary alarms worse: canary line 'line-2' 3 anomaly alarms");
    }

    [Fact]
    public async Task A_rul_package_is_registered_and_its_canary_goes_to_the_fleet_without_an_alarm_rate_comparison()
    {
        const string rul = "centrifugal-pump-rul";
        await using (var file = File.OpenRead(_packages.WriteRul(1)))
        {
            (await _registry.RegisterAsync(file, "centrifugal-pump-rul-1.fmpkg", "alice", default)).DetectorKind.Should().Be("rul-fasttree-conformal");
        }

        await using (var file = File.OpenRead(_packages.WriteRul(2)))
        {
            await _registry.RegisterAsync(file, "centrifugal-pump-rul-2.fmpkg", "alice", default);
        }

        await _registry.PromoteToFleetAsync(rul, 1, "alice", force: false, default);
        var canaryStart = _time.GetUtcNow();
        await _registry.PromoteToCanaryAsync(rul, 2, "line-2", "alice", default);

        // The canary line alarms far more than the fleet; for an anomaly model that would refuse the promotion.
        await StoreAsync(canaryStart, ("line-1", "cnc-01", 1), ("line-1", "cnc-02", 1), ("line-2", "cnc-01", 6));
        _time.Advance(TimeSpan.FromHours(2));

        (await _registry.PromoteToFleetAsync(rul, 2, "alice", force: false, default)).FleetVersion.Should().Be(2);
        (await _registry.AuditAsync(rul, 1, default)).Single().Detail.Should().Contain("a RUL model: its canary is not compared by alarm rate");
    }

    [Fact]
    public async Task A_canary_within_tolerance_goes_to_the_fleet_with_the_figures_in_the_audit()
    {
        await RegisterAsync(1);
        await RegisterAsync(2, threshold: 8f);
        await _registry.PromoteToFleetAsync(Id, 1, "alice", force: false, default);
        var canaryStart = _time.GetUtcNow();
        await _registry.PromoteToCanaryAsync(Id, 2, "line-2", "alice", default);
        await StoreAsync(canaryStart, ("line-1", "cnc-01", 2), ("line-1", "cnc-02", 2), ("line-2", "cnc-01", 2));
        _time.Advance(TimeSpan.FromHours(2));

        (await _registry.PromoteToFleetAsync(Id, 2, "alice", force: false, default)).FleetVersion.Should().Be(2);
        (await _registry.AuditAsync(Id, 1, default)).Single().Detail.Should().Contain("canary within tolerance: canary line 'line-2' 1 anomaly alarms per machine-hour");
    }

    [Fact]
    public async Task Compare_lists_the_fields_that_differ_with_the_change()
    {
        await RegisterAsync(1, threshold: 9f);
        await RegisterAsync(2, threshold: 8f);

        var comparison = await _registry.CompareAsync(Id, 1, 2, default);

        comparison.Differences.Should().ContainEquivalentOf(new ModelDifference("threshold", "9", "8", -1));
        comparison.Differences.Should().Contain(d => d.Field == "metrics.heldOutFalseAlarmRate" && d.Left == "0.001" && d.Right == "0.002");
        comparison.Differences.Should().NotContain(d => d.Field == "featureHash");
    }

    [Fact]
    public async Task The_registry_keeps_its_state_across_a_reopen()
    {
        await RegisterAsync(1);
        await _registry.PromoteToFleetAsync(Id, 1, "alice", force: false, default);

        using var reopened = ModelRegistry.Open(_data, new StoredAlarmRates(_store), _time);

        (await reopened.ListAsync(default)).Should().ContainSingle().Which.Should().Be(new ModelSummary(Id, "cnc-spindle", 1, 1, null, null, 1));
        (await reopened.AssignmentsAsync(default)).Single().FleetContentHash.Should().Be((await reopened.GetAsync(Id, 1, default)).ContentHash);
    }

    [Fact]
    public async Task A_node_without_the_package_file_writes_it_from_the_database()
    {
        await RegisterAsync(1);
        var registered = await File.ReadAllBytesAsync(await _registry.PackageFileAsync(Id, 1, default));
        Directory.Delete(_registry.PackagesDirectory, recursive: true);

        var file = await _registry.PackageFileAsync(Id, 1, default);

        (await File.ReadAllBytesAsync(file)).Should().Equal(registered);
        Factory.Ml.Packages.ModelPackage.Load(file).Manifest.Version.Should().Be(1);
    }

    [Fact]
    public async Task A_registry_from_before_packages_were_in_the_database_takes_its_files_in_at_open()
    {
        await RegisterAsync(1);
        await RegisterAsync(2, threshold: 8f);
        await RegisterAsync(3, threshold: 7f);
        var registered = await File.ReadAllBytesAsync(await _registry.PackageFileAsync(Id, 1, default));

        // As an older version left it: no packages table, files named <id>/<version>.fmpkg; version 2's
        // file lost, and version 3's replaced by another package (not the one registered).
        await RemovePackageRowsAsync();
        var folder = Path.Combine(_registry.PackagesDirectory, Id);
        File.Move(await _registry.PackageFileAsync(Id, 1, default), Path.Combine(folder, "1.fmpkg"));
        File.Delete(await _registry.PackageFileAsync(Id, 2, default));
        File.Delete(await _registry.PackageFileAsync(Id, 3, default));
        await File.WriteAllBytesAsync(Path.Combine(folder, "3.fmpkg"), registered);

        using var reopened = ModelRegistry.Open(_data, new StoredAlarmRates(_store), _time);
        File.Exists(Path.Combine(folder, "1.fmpkg")).Should().BeFalse("the file is renamed as files are named now");
        Directory.Delete(folder, recursive: true);

        (await File.ReadAllBytesAsync(await reopened.PackageFileAsync(Id, 1, default))).Should().Equal(registered, "version 1's file was taken into the database at open");
        foreach (var version in new[] { 2, 3 })
        {
            var lost = () => reopened.PackageFileAsync(Id, version, default);
            (await lost.Should().ThrowAsync<ModelRegistryException>()).Which.Message.Should()
                .Be($"{Id} version {version} is registered, but its package is neither in the database nor in {reopened.PackagesDirectory}.");
        }
    }

    public void Dispose()
    {
        _registry.Dispose();
        _store.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    private Task<ModelVersionInfo> RegisterAsync(int version, float threshold = 9f) => RegisterAsync(_packages.Write(version, threshold, name: $"-{threshold}"));

    private async Task<ModelVersionInfo> RegisterAsync(string path)
    {
        await using var file = File.OpenRead(path);
        return await _registry.RegisterAsync(file, Path.GetFileName(path), "alice", default);
    }

    /// <summary>Empties the packages table, as a registry made by a version that kept package files only.</summary>
    private async Task RemovePackageRowsAsync()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_data, ModelRegistry.DatabaseFileName)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DROP TABLE \"Packages\"";
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stores health for each machine (so the store knows it) and that many anomaly activations within the hour after start.</summary>
    private async Task StoreAsync(DateTimeOffset start, params (string Line, string Machine, int Activations)[] machines)
    {
        var health = new List<MachineHealth>();
        var alarms = new List<AlarmEvent>();
        var sequence = new Dictionary<string, long>();
        foreach (var (line, machine, activations) in machines)
        {
            health.Add(new MachineHealth(line, machine, start, 60, 60, 1, 1, 2, 9, Id, "running", false));
            for (var i = 0; i < activations; i++)
            {
                var next = sequence[line] = sequence.GetValueOrDefault(line) + 1;
                alarms.Add(new AlarmEvent(
                    AlarmEvent.CurrentSchemaVersion, next, $"{line}/{machine}/anomaly", line, machine, null, AlarmKinds.Anomaly, AlarmPriorities.High,
                    AlarmEventTypes.Activated, AlarmStates.Unacknowledged, true, false, false, false, start.AddMinutes(1 + i), null, 12, 9, null, null, null, null, null, "anomaly"));
            }
        }

        await _store.WriteAsync(new TelemetryBatch([], health, alarms, []), default);
    }
}
