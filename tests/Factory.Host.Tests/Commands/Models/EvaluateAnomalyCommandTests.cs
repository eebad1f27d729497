using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Factory.Host.Tests.Support;

namespace Factory.Host.Tests.Commands.Models;

/// <summary>
/// <c>factory models evaluate-anomaly</c> on small recordings whose outcome is known by construction:
/// scored rows far outside the training cloud alarm, rows at its centre do not, whatever their labels.
/// </summary>
public sealed class EvaluateAnomalyCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("factory-anomaly-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Per_file_and_overall_metrics_equal_a_hand_computation()
    {
        // File a: TP 5, FP 1, TN 12, FN 2. File b: TP 3, FP 0, TN 10, FN 1.
        Recording("a.csv", seed: 1, truePositives: 5, falsePositives: 1, trueNegatives: 12, falseNegatives: 2);
        Recording("b.csv", seed: 2, truePositives: 3, falsePositives: 0, trueNegatives: 10, falseNegatives: 1);

        var (exit, output) = await FactoryCli.RunAsync(
            ["models", "evaluate-anomaly", "--data", _folder, "--label-column", "anomaly", "--train-first", "200",
             "--timestamp-column", "datetime", "--ignore-columns", "changepoint", "--separator", ";"]);

        exit.Should().Be(0, output);
        var last = JsonNode.Parse(output.TrimEnd().Split('\n')[^1])!.AsObject();
        last.Select(p => p.Key).Should().Equal("precision", "recall", "f1", "far", "mar");

        // Overall from the summed counts: TP 8, FP 1, TN 22, FN 3.
        last["precision"]!.GetValue<double>().Should().BeApproximately(8.0 / 9, 1e-6);
        last["recall"]!.GetValue<double>().Should().BeApproximately(8.0 / 11, 1e-6);
        last["f1"]!.GetValue<double>().Should().BeApproximately(2 * 8.0 / (2 * 8 + 1 + 3), 1e-6);
        last["far"]!.GetValue<double>().Should().BeApproximately(1.0 / 23, 1e-6);
        last["mar"]!.GetValue<double>().Should().BeApproximately(3.0 / 11, 1e-6);
        output.Should().Contain("TP 8, FP 1, TN 22, FN 3");

        // File a: precision 5/6, recall 5/7, F1 10/13, FAR 1/13, MAR 2/7, each to three places.
        output.Should().MatchRegex(@"a\.csv\s+2\s+20\s+7\s+0\.833\s+0\.714\s+0\.769\s+0\.077\s+0\.286");
        output.Should().MatchRegex(@"b\.csv\s+2\s+14\s+4\s+1\.000\s+0\.750\s+0\.857\s+0\.000\s+0\.250");
        output.Should().Contain("not numeric, not read: note");
    }

    [Fact]
    public async Task A_value_that_is_not_a_number_is_refused_naming_file_line_and_column()
    {
        var path = Recording("a.csv", seed: 1, truePositives: 1, falsePositives: 0, trueNegatives: 1, falseNegatives: 0);
        var lines = File.ReadAllLines(path);
        lines[150] = lines[150].Replace(lines[150].Split(';')[1], "1,5", StringComparison.Ordinal);
        File.WriteAllLines(path, lines);

        var (exit, output) = await FactoryCli.RunAsync(
            ["models", "evaluate-anomaly", "--data", path, "--label-column", "anomaly", "--train-first", "200", "--timestamp-column", "datetime", "--separator", ";"]);

        exit.Should().Be(1);
        output.Should().Contain($"{path}:151: column 'pressure': '1,5' is not a number.");
    }

    [Fact]
    public async Task A_missing_label_column_and_too_few_training_rows_are_named()
    {
        var path = Recording("a.csv", seed: 1, truePositives: 1, falsePositives: 0, trueNegatives: 1, falseNegatives: 0);

        var (exit, output) = await FactoryCli.RunAsync(["models", "evaluate-anomaly", "--data", path, "--label-column", "label", "--train-first", "200", "--separator", ";"]);
        exit.Should().Be(1);
        output.Should().Contain($"{path}:1: no column 'label' (--label-column)");

        (exit, output) = await FactoryCli.RunAsync(["models", "evaluate-anomaly", "--data", path, "--label-column", "anomaly", "--train-first", "50", "--separator", ";", "--timestamp-column", "datetime"]);
        exit.Should().Be(1);
        output.Should().Contain($"{path}: A threshold for a false-alarm rate of 0.01 needs at least 100");
    }

    /// <summary>
    /// 200 training rows scattered in [-1, 1]² (label 0), then the scored rows: far outliers labeled 1 (true
    /// positives) and 0 (false positives), rows at the centre labeled 0 (true negatives) and 1 (false negatives).
    /// </summary>
    private string Recording(string name, int seed, int truePositives, int falsePositives, int trueNegatives, int falseNegatives)
    {
        var random = new Random(seed);
        var text = new StringBuilder("datetime;pressure;temperature;note;changepoint;anomaly\n");
        var time = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        void Row(double x, double y, int label) =>
            text.Append(CultureInfo.InvariantCulture, $"{time = time.AddSeconds(1):yyyy-MM-dd HH:mm:ss};{x:0.0000};{y:0.0000};ok;0;{label}\n");
        for (var i = 0; i < 200; i++)
        {
            Row(random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1, 0);
        }

        for (var i = 0; i < truePositives; i++)
        {
            Row(40 + i, -35, 1);
        }

        for (var i = 0; i < falsePositives; i++)
        {
            Row(-50, 45 + i, 0);
        }

        for (var i = 0; i < trueNegatives; i++)
        {
            Row(0.01 * i, -0.01 * i, 0);
        }

        for (var i = 0; i < falseNegatives; i++)
        {
            Row(-0.02 * i, 0.01, 1);
        }

        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
