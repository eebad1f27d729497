using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Factory.Ml.Detectors;
using Factory.Ml.Features;
using Factory.Ml.Packages;
using Factory.Ml.Tests.Detectors;
using Factory.Plant.Model;
using static Factory.Ml.Tests.TestMachines;

namespace Factory.Ml.Tests.Packages;

[Collection(TrainedDetectorsCollection.Name)]
public sealed class ModelPackageTests(TrainedDetectors trained) : IDisposable
{
    private readonly PackageFiles _files = new();

    public static TheoryData<string> Kinds => [RandomizedPcaKind.KindName, RobustMahalanobisKind.KindName, KMeansDistanceKind.KindName];

    public void Dispose() => _files.Dispose();

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_saved_package_loads_with_its_manifest_and_gives_identical_scores(string kind)
    {
        var (model, threshold) = trained.Of(kind);
        var path = _files.Write(kind, model, threshold);

        var package = ModelPackage.Load(path);

        var probe = HealthyOperation.Vectors(100, seed: 11).Concat(HealthyOperation.AcrossTheNormalDirection(20, seed: 12)).ToList();
        package.Detector.ScoreAll(probe).Should().Equal(model.ScoreAll(probe));
        var manifest = package.Manifest;
        manifest.Should().BeEquivalentTo(PackageFiles.Info(threshold), options => options.ExcludingMissingMembers());
        manifest.FormatVersion.Should().Be(1);
        manifest.DetectorKind.Should().Be(kind);
        manifest.Features.Select(f => f.Name).Should().Equal(FeatureSchema.For(SixFeatureSpindle()).Names);
        manifest.FeatureHash.Should().Be(FeatureSchema.For(SixFeatureSpindle()).Hash);
        manifest.Entries.Should().ContainSingle().Which.Name.Should().Be(kind == RobustMahalanobisKind.KindName ? "mahalanobis.json" : "model.zip");
        manifest.ContentHash.Should().MatchRegex("^[0-9a-f]{64}$");
    }

    [Fact]
    public void Writing_the_same_package_twice_gives_the_same_bytes()
    {
        var first = _files.Write("first", trained.Mahalanobis, trained.MahalanobisThreshold);
        var second = _files.Write("second", trained.Mahalanobis, trained.MahalanobisThreshold);

        File.ReadAllBytes(second).Should().Equal(File.ReadAllBytes(first));
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_refused()
    {
        var path = Path.Combine(_files.Folder, "corrupt.fmpkg");
        File.WriteAllText(path, "this is not a zip archive");

        var act = () => ModelPackage.Load(path);

        act.Should().Throw<ModelPackageException>()
            .WithMessage($"Model package {path}: not a model package: the file is not a readable zip archive*")
            .Which.PackagePath.Should().Be(path);
    }

    [Fact]
    public void A_zip_cut_short_is_refused()
    {
        var path = _files.Write("cut", trained.Pca, trained.PcaThreshold);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var act = () => ModelPackage.Load(path);

        act.Should().Throw<ModelPackageException>().WithMessage($"Model package {path}: not a model package: the file is not a readable zip archive*");
    }

    [Fact]
    public void A_missing_file_is_refused_naming_it()
    {
        var path = Path.Combine(_files.Folder, "nowhere.fmpkg");

        var act = () => ModelPackage.Load(path);

        act.Should().Throw<ModelPackageException>().WithMessage($"Model package {path}: no such file.");
    }

    [Fact]
    public void A_zip_without_a_manifest_is_refused()
    {
        var path = _files.Write("no-manifest", trained.Pca, trained.PcaThreshold);
        PackageFiles.Rewrite(path, "manifest.json", _ => null);

        var act = () => ModelPackage.Load(path);

        act.Should().Throw<ModelPackageException>().WithMessage($"Model package {path}: has no manifest.json*");
    }

    [Fact]
    public void A_manifest_that_is_not_json_is_refused()
    {
        var path = _files.Write("bad-json", trained.Pca, trained.PcaThreshold);
        PackageFiles.Rewrite(path, "manifest.json", bytes => bytes[..(bytes.Length / 2)]);

        var act = () => ModelPackage.Load(path);

        act.Should().Throw<ModelPackageException>().WithMessage($"Model package {path}: manifest.json is not valid JSON: *");
    }

    [Theory]
    [InlineData("threshold")]
    [InlineData("featureHash")]
    [InlineData("creator")]
    [InlineData("parentVersion")]
    public void A_manifest_missing_a_field_is_refused_naming_the_field(string field)
    {
        var path = _files.Write("missing-" + field, trained.Mahalanobis, trained.MahalanobisThreshold);
        EditManifest(path, manifest => manifest.Remove(field));

        var act = () => ModelPackage.Load(path);

        act.Should().Throw<ModelPackageException>().WithMessage($"Model package {path}: manifest.json: missing field '{field}'.");
    }

    [Fact]
    public void A_manifest_missing_a_nested_field_names_its_path()
    {
        var path = _files.Write("missing-training-from", trained.Mahalanobis, trained.MahalanobisThreshold);
        EditManifest(path, manifest => manifest["training"]!.AsObject().Remove("from"));

        var act = () => ModelPackage.Load(path);

        act.Should().Throw<ModelPackageException>().WithMessage($"Model package {path}: manifest.json: missing field 'training.from'.");
    }

    [Fact]
    public void An_unsupported_format_version_is_refused()
    {
        var path = _files.Write("format-2", trained.Mahalanobis, trained.MahalanobisThreshold);
        EditManifest(path, manifest => manifest["formatVersion"] = 2);

        var act = () => ModelPackage.Load(path);

        act.Should().Throw<ModelPackageException>()
            .WithMessage($"Model package {path}: manifest.json has format version 2; this build reads format version 1 only.");
    }

    [Fact]
    public void A_tampered_threshold_is_refused_as_a_content_hash_mismatch()
    {
        var path = _files.Write("tampered-threshold", trained.Mahalanobis, trained.MahalanobisThreshold);
        EditManifest(path, manifest => manifest["threshold"] = 1e9);

        var act = () => ModelPackage.Load(path);

        act.Should().Throw<ModelPackageException>()
            .WithMessage($"Model package {path}: content hash mismatch: the manifest's contentHash is not the hash of the package's content: manifest.json was changed after the package was written, or is corrupt.");
    }

    [Fact]
    public void A_byte_flipped_inside_the_ml_net_model_is_refused_as_a_content_hash_mismatch()
    {
        var path = _files.Write("tampered-model", trained.Pca, trained.PcaThreshold);
        PackageFiles.Rewrite(path, "model.zip", bytes =>
        {
            bytes[bytes.Length / 2] ^= 0x01;
            return bytes;
        });

        var act = () => ModelPackage.Load(path);

        act.Should().Throw<ModelPackageException>()
            .WithMessage($"Model package {path}: content hash mismatch: entry 'model.zip' is not the one the manifest lists (SHA-256 or length differs)*");
    }

    [Fact]
    public void A_byte_flipped_in_the_file_itself_is_refused()
    {
        var path = _files.Write("flipped-in-file", trained.Pca, trained.PcaThreshold);
        var bytes = File.ReadAllBytes(path);
        using (var zip = new ZipArchive(new MemoryStream(bytes)))
        {
            zip.GetEntry("model.zip").Should().NotBeNull();
        }

        // The payload lies after the manifest; a byte in the middle of the file is inside model.zip's data.
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        var act = () => ModelPackage.Load(path);

        act.Should().Throw<ModelPackageException>().Where(e =>
            e.Message.StartsWith($"Model package {path}: ", StringComparison.Ordinal)
            && (e.Message.Contains("content hash mismatch: entry 'model.zip'", StringComparison.Ordinal)
                || e.Message.Contains("not a readable zip archive", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_entry_the_manifest_does_not_list_is_refused()
    {
        var path = _files.Write("extra-entry", trained.Mahalanobis, trained.MahalanobisThreshold);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            using var stream = zip.CreateEntry("extra.bin").Open();
            stream.Write([1, 2, 3]);
        }

        var act = () => ModelPackage.Load(path);

        act.Should().Throw<ModelPackageException>().WithMessage($"Model package {path}: content hash mismatch: entry 'extra.bin' is not listed in the manifest*");
    }

    [Fact]
    public void An_unknown_detector_kind_is_refused_naming_the_known_ones()
    {
        var path = _files.Write("isolation-forest", new StubDetector("isolation-forest", "forest.bin", [1, 2, 3]), 1f);

        var act = () => ModelPackage.Load(path);

        act.Should().Throw<ModelPackageException>()
            .WithMessage($"Model package {path}: detector kind 'isolation-forest' is unknown to this build (known: randomized-pca, robust-mahalanobis, kmeans-distance).");
    }

    [Fact]
    public void A_payload_ml_net_cannot_load_is_refused()
    {
        var path = _files.Write("not-ml-net", new StubDetector(RandomizedPcaKind.KindName, "model.zip", Encoding.UTF8.GetBytes("not an ML.NET model")), 1f);

        var act = () => ModelPackage.Load(path);

        act.Should().Throw<ModelPackageException>().WithMessage($"Model package {path}: entry 'model.zip' cannot be loaded by ML.NET: *");
    }

    [Fact]
    public void A_payload_for_another_number_of_features_is_refused()
    {
        var sevenFeatures = HealthyOperation.Vectors(200, seed: 1).Select(v => v.Append(1f).ToArray()).ToList();
        var model = DetectorKinds.RandomizedPca.Train(sevenFeatures, 1);
        var payload = model.ToPayload();
        var path = _files.Write("seven", new StubDetector(RandomizedPcaKind.KindName, "model.zip", payload["model.zip"]), 1f);

        var act = () => ModelPackage.Load(path);

        act.Should().Throw<ModelPackageException>().WithMessage($"Model package {path}: entry 'model.zip' is an ML.NET model for 7 features; the manifest lists 6.");
    }

    [Fact]
    public void A_package_fits_a_machine_with_the_same_features()
    {
        var package = ModelPackage.Load(_files.Write("fits", trained.Mahalanobis, trained.MahalanobisThreshold));

        package.IsCompatibleWith(FeatureSchema.For(SixFeatureSpindle("cnc-07")), out var reason).Should().BeTrue();
        reason.Should().BeNull();
        package.Invoking(p => p.CheckCompatibleWith(FeatureSchema.For(SixFeatureSpindle("cnc-07")))).Should().NotThrow();
    }

    [Fact]
    public void A_package_is_refused_for_a_machine_without_one_of_its_features_naming_it()
    {
        var path = _files.Write("schema", trained.Mahalanobis, trained.MahalanobisThreshold);
        var package = ModelPackage.Load(path);
        var other = FeatureSchema.For(Machine(
            "cnc-09",
            "cnc-spindle",
            Sensor("spindle-vibration-rms", SignalKind.VibrationRms, 100, Window(10, FeatureStatistic.Rms, FeatureStatistic.Kurtosis)),
            Sensor("motor-current", SignalKind.MotorCurrent, 200, Window(10, FeatureStatistic.Mean, FeatureStatistic.StandardDeviation)),
            Sensor("bearing-temperature", SignalKind.BearingTemperature, 1000, Window(60, FeatureStatistic.Mean, FeatureStatistic.Slope))));

        var act = () => package.CheckCompatibleWith(other);

        act.Should().Throw<ModelPackageException>().WithMessage(
            $"Model package {path} (cnc-spindle-anomaly version 1) does not fit machine 'cnc-09': its features differ from the machine's " +
            "(the machine does not compute feature 'motor-current.max'; the package has no feature 'motor-current.standard-deviation', which the machine computes; *");
    }

    [Fact]
    public void A_package_is_refused_for_a_machine_whose_window_differs_naming_the_feature()
    {
        var package = ModelPackage.Load(_files.Write("window", trained.Mahalanobis, trained.MahalanobisThreshold));
        var other = FeatureSchema.For(Machine(
            "cnc-10",
            "cnc-spindle",
            Sensor("spindle-vibration-rms", SignalKind.VibrationRms, 100, Window(10, FeatureStatistic.Rms, FeatureStatistic.Kurtosis)),
            Sensor("motor-current", SignalKind.MotorCurrent, 200, Window(10, FeatureStatistic.Mean, FeatureStatistic.Max)),
            Sensor("bearing-temperature", SignalKind.BearingTemperature, 1000, Window(120, FeatureStatistic.Mean, FeatureStatistic.Slope))));

        package.IsCompatibleWith(other, out var reason).Should().BeFalse();

        reason.Should().Contain("feature 'bearing-temperature.mean' is computed over 120 s windows on the machine, the package was trained on 60 s windows");
    }

    [Fact]
    public void A_package_is_refused_for_a_machine_of_another_type()
    {
        var package = ModelPackage.Load(_files.Write("type", trained.Mahalanobis, trained.MahalanobisThreshold));

        package.IsCompatibleWith(FeatureSchema.For(SixFeatureSpindle("pump-01", "centrifugal-pump")), out var reason).Should().BeFalse();

        reason.Should().Contain("it is for machine type 'cnc-spindle', machine 'pump-01' is of type 'centrifugal-pump'");
    }

    [Fact]
    public void The_content_hash_follows_the_documented_rule()
    {
        var path = _files.Write("rule", trained.Mahalanobis, trained.MahalanobisThreshold);
        var entries = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        using (var zip = ZipFile.OpenRead(path))
        {
            foreach (var entry in zip.Entries)
            {
                using var stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                entries[entry.FullName] = copy.ToArray();
            }
        }

        var manifest = Encoding.UTF8.GetString(entries["manifest.json"]);
        var contentHash = JsonNode.Parse(manifest)!["contentHash"]!.GetValue<string>();
        var zeroed = Encoding.UTF8.GetBytes(manifest.Replace(contentHash, new string('0', 64), StringComparison.Ordinal));
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var (name, bytes) in entries.Where(e => e.Key != "manifest.json").Append(new("manifest.json", zeroed)))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name));
            sha.AppendData([0]);
            sha.AppendData(BitConverter.GetBytes((long)bytes.Length));
            sha.AppendData(bytes);
        }

        Convert.ToHexStringLower(sha.GetHashAndReset()).Should().Be(contentHash);
    }

    private static void EditManifest(string path, Action<JsonObject> edit) =>
        PackageFiles.Rewrite(path, "manifest.json", bytes =>
        {
            var manifest = JsonNode.Parse(bytes)!.AsObject();
            edit(manifest);
            return Encoding.UTF8.GetBytes(manifest.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        });

    /// <summary>A detector whose payload is whatever the test says, to write packages no real detector would.</summary>
    private sealed class StubDetector(string kind, string entry, byte[] payload) : DetectorModel
    {
        public override string Kind => kind;

        public override int FeatureCount => HealthyOperation.FeatureCount;

        public override IDetectorEngine CreateEngine() => throw new NotSupportedException();

        public override IReadOnlyDictionary<string, byte[]> ToPayload() => new Dictionary<string, byte[]> { [entry] = payload };
    }
}
