using Factory.OpcUa.Fuzz;

namespace Factory.OpcUa.Tests.Encoding;

/// <summary>
/// A short, deterministic run of every fuzz target (the decoders of OPC 10000-6, 5.2 and any
/// parser added to the fuzzer later): mutated valid encodings must be either accepted, and then
/// survive another encode and decode unchanged, or refused with a DecodingException. The full
/// campaign of a million inputs is in docs/benchmarks.md; this keeps the targets from rotting.
/// </summary>
public sealed class DecoderFuzzSmokeTests
{
    public static TheoryData<string> Targets => new(FuzzTargets.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Mutated_inputs_are_accepted_or_refused_with_a_decoding_error_and_nothing_else(string target)
    {
        var output = new StringWriter();
        var findings = Path.Combine(Path.GetTempPath(), "factory-fuzz-smoke-findings");
        var report = new FuzzRunner(output, findings).Run(FuzzTargets.Select(target).Single(), Property.Seed, 4000);

        report.Findings.Should().Be(0, "every input is accepted or refused as documented; the run said:{0}{1}", Environment.NewLine, output);
        report.Accepted.Should().BeGreaterThan(report.CorpusSize, "mutants are accepted too, so decoding paths past the first field are reached");
        report.Rejected.Should().BeGreaterThan(0, "a run in which nothing is refused has not tried bad input");
    }

    [Fact]
    public void Exception_other_than_a_rejection_is_reported_with_its_input_saved_for_replay()
    {
        var output = new StringWriter();
        var findings = Path.Combine(Path.GetTempPath(), $"factory-fuzz-test-{Guid.NewGuid():N}");
        try
        {
            var report = new FuzzRunner(output, findings).Run(new IndexingTarget(), seed: 7, iterations: 500);

            report.Findings.Should().BeGreaterThan(0, "inputs shorter than three bytes make the target index out of range");
            report.Rejected.Should().BeGreaterThan(0);
            output.ToString().Should().Contain("FINDING in target 'indexing', seed 7").And.Contain("IndexOutOfRangeException");
            var saved = Directory.GetFiles(findings, "*.bin");
            saved.Should().NotBeEmpty();
            var replayed = () => FuzzRunner.Replay(new IndexingTarget(), File.ReadAllBytes(saved[0]));
            replayed.Should().Throw<IndexOutOfRangeException>("a saved input reproduces its finding");
        }
        finally
        {
            if (Directory.Exists(findings))
            {
                Directory.Delete(findings, recursive: true);
            }
        }
    }

    /// <summary>A parser with a planted defect: it reads the third byte without checking the length.</summary>
    private sealed class IndexingTarget : IFuzzTarget
    {
        public string Name => "indexing";

        public IEnumerable<byte[]> Corpus(RandomValues values) => [[1, 2, 3, 4], [0, 0, 0, 0, 0]];

        public void Run(byte[] input)
        {
            if (input.Length > 0 && input[0] == 0xFF)
            {
                throw new DecodingException("refused");
            }

            _ = input[2];
        }

        public bool IsRejection(Exception exception) => exception is DecodingException;
    }
}
