using System.Text.Json.Nodes;
using Factory.Host.Tests.Support;
using Factory.Ml.Rul;
using Factory.Ml.Tests.Rul;

namespace Factory.Host.Tests.Commands.Models;

/// <summary><c>factory models evaluate-rul</c> with the C-MAPSS interface, on small synthetic files.</summary>
public sealed class EvaluateRulCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("factory-rul-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_last_line_holds_rmse_and_phm08_equal_to_a_hand_computation_over_the_predictions()
    {
        var training = SyntheticFleet.Units(20, seed: 41);
        var (test, truth) = SyntheticFleet.Units(8, seed: 42, cutBeforeFailure: new Random(43));
        var (trainPath, testPath, truthPath) = Write(training, test, truth);

        var reportPath = Path.Combine(_folder, "rul.html");
        var (exit, output) = await FactoryCli.RunAsync(["models", "evaluate-rul", "--train", trainPath, "--test", testPath, "--truth", truthPath, "--report", reportPath]);

        exit.Should().Be(0, output);
        (await File.ReadAllTextAsync(reportPath)).Should().Contain("Predicted against true RUL").And.Contain("<svg").And.Contain("90 % interval");
        var lines = output.TrimEnd().Split('\n');
        var summary = JsonNode.Parse(lines[^1])!.AsObject();
        summary.Select(p => p.Key).Should().Equal("rmse", "phm08", "units");

        // The same fit on the files as written (the command reads them back), then the formulas by hand.
        var expected = RulEvaluation.OnTestSet(
            CmapssFile.Read(trainPath), CmapssFile.Read(testPath), CmapssFile.ReadTruth(truthPath),
            new RulTrainingOptions { ExcludedColumns = ["setting1", "setting2", "setting3"] });
        double squares = 0, phm08 = 0;
        foreach (var unit in expected.Units)
        {
            var d = unit.Prediction.Rul - unit.Truth;
            squares += d * d;
            phm08 += d < 0 ? Math.Exp(-d / 13) - 1 : Math.Exp(d / 10) - 1;
        }

        summary["units"]!.GetValue<int>().Should().Be(8);
        summary["rmse"]!.GetValue<double>().Should().BeApproximately(Math.Sqrt(squares / 8), 1e-4);
        summary["phm08"]!.GetValue<double>().Should().BeApproximately(phm08, 1e-4);
        output.Should().Contain("true RUL").And.Contain("interval");
        foreach (var unit in expected.Units)
        {
            output.Should().MatchRegex($@"(?m)^\s*{unit.Unit}\s+{unit.Rows}\s+{unit.Truth}\s+");
        }
    }

    [Fact]
    public async Task A_truth_file_with_too_few_values_is_refused_naming_both_files()
    {
        var (trainPath, testPath, truthPath) = Write(SyntheticFleet.Units(6, seed: 1), SyntheticFleet.Units(3, seed: 2), [10, 20]);

        var (exit, output) = await FactoryCli.RunAsync(["models", "evaluate-rul", "--train", trainPath, "--test", testPath, "--truth", truthPath]);

        exit.Should().Be(1);
        output.Should().Contain($"{truthPath}: 2 RUL values for the 3 units of {testPath}");
    }

    [Fact]
    public async Task A_malformed_row_is_refused_naming_file_line_and_column()
    {
        var (trainPath, testPath, truthPath) = Write(SyntheticFleet.Units(6, seed: 1), SyntheticFleet.Units(3, seed: 2), [10, 20, 30]);
        var lines = File.ReadAllLines(testPath);
        lines[4] = lines[4].Replace(lines[4].Split(' ')[6], "nan?", StringComparison.Ordinal);
        File.WriteAllLines(testPath, lines);

        var (exit, output) = await FactoryCli.RunAsync(["models", "evaluate-rul", "--train", trainPath, "--test", testPath, "--truth", truthPath]);

        exit.Should().Be(1);
        output.Should().Contain($"{testPath}:5: column 7 (s2): 'nan?' is not a number.");
    }

    [Fact]
    public async Task Every_file_is_required()
    {
        var (exit, output) = await FactoryCli.RunAsync(["models", "evaluate-rul", "--train", "a.txt", "--test", "b.txt"]);

        exit.Should().Be(-1);
        output.Should().Contain("--truth <file> is required");
    }

    private (string Train, string Test, string Truth) Write(RulDataset training, RulDataset test, IReadOnlyList<double> truth)
    {
        var train = Path.Combine(_folder, "train.txt");
        var testPath = Path.Combine(_folder, "test.txt");
        var truthPath = Path.Combine(_folder, "truth.txt");
        SyntheticFleet.Write(training, train);
        SyntheticFleet.Write(test, testPath);
        File.WriteAllLines(truthPath, truth.Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return (train, testPath, truthPath);
    }
}
