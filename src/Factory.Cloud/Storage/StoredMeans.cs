namespace Factory.Cloud.Storage;

/// <summary>
/// A machine's sensors side by side: the store's mean of each sensor per step, one row per step
/// start (NaN where a sensor has no summary in that step). What RUL models read, for forecasts and
/// for training.
/// </summary>
public static class StoredMeans
{
    public static async Task<(IReadOnlyList<DateTimeOffset> Starts, IReadOnlyList<double[]> Rows)> ReadAsync(
        ITelemetryStore store, string line, string machine, IReadOnlyList<string> sensors, DateTimeOffset from, DateTimeOffset to, TimeSpan step, CancellationToken cancellationToken)
    {
        var columns = new Dictionary<DateTimeOffset, double[]>();
        for (var s = 0; s < sensors.Count; s++)
        {
            foreach (var bucket in await store.QuerySensorAsync(new SensorQuery(line, machine, sensors[s], from, to, step), cancellationToken))
            {
                if (!columns.TryGetValue(bucket.Start, out var row))
                {
                    columns[bucket.Start] = row = [.. Enumerable.Repeat(double.NaN, sensors.Count)];
                }

                row[s] = bucket.Mean;
            }
        }

        var starts = columns.Keys.Order().ToList();
        return (starts, [.. starts.Select(t => columns[t])]);
    }
}
