using System.Globalization;
using System.Text;
using Factory.Ml.Rul;

namespace Factory.Ml.Tests.Rul;

/// <summary>
/// Run-to-failure units written in the C-MAPSS format: lives of 120 to 260 cycles, three sensors that
/// drift exponentially towards failure (two up, one down) with noise, one constant sensor, one of pure
/// noise, and operating settings of noise.
/// </summary>
internal static class SyntheticFleet
{
    public static RulDataset Units(int count, int seed) => Units(count, seed, cutBeforeFailure: null).Data;

    /// <summary>Units, each cut a random number of cycles before its failure when <paramref name="cutBeforeFailure"/> is set; the RUL at each cut.</summary>
    public static (RulDataset Data, IReadOnlyList<double> Truth) Units(int count, int seed, Random? cutBeforeFailure)
    {
        var random = new Random(seed);
        var units = new List<RulUnit>();
        var truth = new List<double>();
        for (var u = 1; u <= count; u++)
        {
            var life = random.Next(120, 260);
            var rate = 0.02 + random.NextDouble() * 0.02;
            var offset = random.NextDouble();
            var cut = cutBeforeFailure is null ? life : life - cutBeforeFailure.Next(5, 100);
            var times = new List<double>();
            var rows = new List<double[]>();
            for (var cycle = 1; cycle <= cut; cycle++)
            {
                var wear = Math.Exp(rate * (cycle - life));
                var row = new double[CmapssFile.ValueColumns.Count];
                row[0] = random.NextDouble() * 0.002 - 0.001;
                row[1] = random.NextDouble() * 0.0006 - 0.0003;
                row[2] = 100;
                row[3] = 518.67;
                row[4] = 640 + offset + 5 * wear + Noise(random, 0.3);
                row[5] = 1400 + 2 * offset + 30 * wear + Noise(random, 2);
                row[6] = 47 + 0.5 * offset - 2 * wear + Noise(random, 0.1);
                row[7] = Noise(random, 1);
                for (var c = 8; c < row.Length; c++)
                {
                    row[c] = 10 + c;
                }

                times.Add(cycle);
                rows.Add(row);
            }

            units.Add(new RulUnit(u.ToString(CultureInfo.InvariantCulture), times, rows));
            truth.Add(life - cut);
        }

        return (new RulDataset(CmapssFile.ValueColumns, units), truth);
    }

    /// <summary>Writes <paramref name="data"/> in the C-MAPSS text format.</summary>
    public static void Write(RulDataset data, string path)
    {
        var text = new StringBuilder();
        foreach (var unit in data.Units)
        {
            for (var i = 0; i < unit.Length; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{unit.Id} {unit.Times[i]}");
                foreach (var value in unit.Rows[i])
                {
                    text.Append(' ').Append(value.ToString("0.####", CultureInfo.InvariantCulture));
                }

                text.Append(" \n");
            }
        }

        File.WriteAllText(path, text.ToString());
    }

    private static double Noise(Random random, double sd) =>
        sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
