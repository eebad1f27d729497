namespace Factory.Ml.Features;

/// <summary>One sample of one sensor of a machine, from a recorded history.</summary>
/// <param name="SensorIndex">The sensor's position in the machine's configuration (<see cref="FeatureSchema.SensorIndexOf"/>).</param>
/// <param name="Value">The value in engineering units.</param>
/// <param name="SourceTime">When the machine measured it.</param>
public readonly record struct MachineSample(int SensorIndex, double Value, DateTimeOffset SourceTime);

/// <summary>The features of a machine at one evaluation time.</summary>
/// <param name="Time">The evaluation time: the windows end just before it.</param>
/// <param name="Values">The features in schema order.</param>
public sealed record FeatureVector(DateTimeOffset Time, float[] Values);

/// <summary>
/// Turns a machine's recorded samples into feature vectors at a fixed evaluation period, with the
/// same <see cref="MachineFeatures"/> the edge uses, so a model is trained on exactly the
/// features it is later scored with.
/// </summary>
/// <remarks>
/// Evaluation times are whole multiples of the period (UTC). The vector at time <c>t</c> is
/// computed after every sample with a source time before <c>t</c> has been added, as the edge
/// evaluates at <c>t</c>. Times at which <see cref="MachineFeatures.TryCompute"/> is false
/// (windows not yet filled, a sensor silent for its whole window) give no vector, and neither do
/// times at which a sensor is stale by the edge's rule (<see cref="StaleAfterIntervals"/>,
/// <see cref="MinimumStaleTime"/>: the edge does not score stale data either). Stretches in which
/// every window is empty (the recording has a gap) are skipped without evaluating each period.
/// </remarks>
public sealed class FeatureExtractor
{
    private readonly FeatureSchema _schema;
    private readonly long _periodTicks;
    private readonly long _longestSpanTicks;

    /// <param name="evaluationPeriod">How often the edge evaluates, e.g. one second.</param>
    public FeatureExtractor(FeatureSchema schema, TimeSpan evaluationPeriod)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(evaluationPeriod, TimeSpan.Zero);
        _schema = schema;
        _periodTicks = evaluationPeriod.Ticks;
        _longestSpanTicks = schema.Sensors.Count == 0
            ? 0
            : schema.Sensors.Max(s => (s.BucketCount + 1) * s.BucketWidth.Ticks);
    }

    /// <summary>A sensor silent for this many sampling intervals is stale (the edge's <c>EdgeTuning.StaleAfterIntervals</c>).</summary>
    public int StaleAfterIntervals { get; init; } = 10;

    /// <summary>The shortest silence that counts as stale (the edge's <c>EdgeTuning.MinimumStaleTime</c>).</summary>
    public TimeSpan MinimumStaleTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The feature vectors of a sample stream in time order (samples out of order are handled as the edge handles them).</summary>
    public IEnumerable<FeatureVector> Extract(IEnumerable<MachineSample> samples)
    {
        var features = new MachineFeatures(_schema);
        var staleAfter = _schema.Sensors
            .Select(s => s.Statistics.Count == 0 ? long.MaxValue : Math.Max(s.SamplingInterval.Ticks * StaleAfterIntervals, MinimumStaleTime.Ticks))
            .ToArray();
        var buffer = new float[_schema.Count];
        long next = 0;
        var newest = long.MinValue;
        foreach (var sample in samples)
        {
            var ticks = sample.SourceTime.UtcTicks;
            if (newest == long.MinValue)
            {
                next = NextEvaluationAfter(ticks);
            }

            while (ticks >= next)
            {
                if (next - newest > _longestSpanTicks)
                {
                    // Every window is empty from here until this sample: nothing to evaluate.
                    next = NextEvaluationAfter(ticks);
                    break;
                }

                if (Evaluate(features, next, staleAfter, buffer))
                {
                    yield return new FeatureVector(new DateTimeOffset(next, TimeSpan.Zero), buffer.ToArray());
                }

                next += _periodTicks;
            }

            features.Add(sample.SensorIndex, sample.Value, sample.SourceTime);
            newest = Math.Max(newest, ticks);
        }

        if (newest != long.MinValue && Evaluate(features, next, staleAfter, buffer))
        {
            yield return new FeatureVector(new DateTimeOffset(next, TimeSpan.Zero), buffer.ToArray());
        }
    }

    private static bool Evaluate(MachineFeatures features, long ticks, long[] staleAfter, float[] buffer)
    {
        for (var i = 0; i < staleAfter.Length; i++)
        {
            if (staleAfter[i] != long.MaxValue && (features.LastSampleTime(i) is not { } last || ticks - last.UtcTicks > staleAfter[i]))
            {
                return false;
            }
        }

        return features.TryCompute(new DateTimeOffset(ticks, TimeSpan.Zero), buffer);
    }

    private long NextEvaluationAfter(long ticks) => ((ticks / _periodTicks) + 1) * _periodTicks;
}
