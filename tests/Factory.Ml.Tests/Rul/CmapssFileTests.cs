using Factory.Ml.Rul;

namespace Factory.Ml.Tests.Rul;

public sealed class CmapssFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cmapss-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_file_reads_into_units_with_their_cycles_and_26_columns()
    {
        var path = Write("train.txt", Row(1, 1), Row(1, 2), Row(2, 1));

        var data = CmapssFile.Read(path);

        data.Units.Select(u => u.Id).Should().Equal("1", "2");
        data.Units[0].Times.Should().Equal(1, 2);
        data.Units[0].Rows[1].Should().HaveCount(24);
        data.SensorNames[0].Should().Be("setting1");
        data.SensorNames[^1].Should().Be("s21");
        data.Units[0].RulAt(0).Should().Be(1);
    }

    [Theory]
    [InlineData("1 1 0 0 100 518.67", "train.txt:2: expected 26 space-separated columns (unit, cycle, 3 settings, 21 sensors), found 6.")]
    [InlineData("1 2 0 0 100 518.67 x 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", "train.txt:2: column 7 (s2): 'x' is not a number.")]
    [InlineData("1 1 0 0 100 518.67 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", "train.txt:2: column 2 (cycle): cycle 1 of unit 1 does not follow cycle 1.")]
    [InlineData("1.5 2 0 0 100 518.67 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", "train.txt:2: column 1 (unit): '1.5' is not a positive whole number.")]
    public void A_bad_row_is_refused_naming_file_line_and_column(string badRow, string message)
    {
        var path = Write("train.txt", Row(1, 1), badRow);

        var act = () => CmapssFile.Read(path);

        act.Should().Throw<FormatException>().Which.Message.Should().Be(Path.Combine(_directory, message));
    }

    [Fact]
    public void A_unit_split_over_the_file_is_refused()
    {
        var path = Write("train.txt", Row(1, 1), Row(2, 1), Row(1, 2));

        var act = () => CmapssFile.Read(path);

        act.Should().Throw<FormatException>().WithMessage("*train.txt:3: column 1 (unit): unit 1 appears again after other units*");
    }

    [Fact]
    public void A_truth_file_holds_one_non_negative_number_per_line()
    {
        CmapssFile.ReadTruth(Write("truth.txt", "112 ", "98", "")).Should().Equal(112, 98);

        var act = () => CmapssFile.ReadTruth(Write("bad.txt", "112", "-3"));
        act.Should().Throw<FormatException>().WithMessage("*bad.txt:2: '-3' is not a remaining useful life*");
    }

    private static string Row(int unit, int cycle) => $"{unit} {cycle} -0.0007 -0.0004 100.0 518.67 641.82 1589.70 1400.60 14.62 21.61 554.36 2388.06 9046.19 1.30 47.47 521.66 2388.02 8138.62 8.4195 0.03 392 2388 100.00 39.06 23.4190  ";

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllLines(path, lines);
        return path;
    }
}
