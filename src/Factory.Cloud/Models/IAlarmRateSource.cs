using Factory.Cloud.Storage;
using Factory.Contracts.Alarms;

namespace Factory.Cloud.Models;

/// <summary>Counts anomaly-alarm activations and machine-hours of a canary line and of the other lines.</summary>
public interface IAlarmRateSource
{
    /// <summary>Rates from <paramref name="from"/> to <paramref name="to"/>.</summary>
    Task<CanaryAlarmRates> RatesAsync(string canaryLine, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

/// <summary>
/// Alarm rates from the cloud's stored alarm history: activations of anomaly alarms; machine-hours
/// are the machines the store knows of each line times the period.
/// </summary>
public sealed class StoredAlarmRates(ITelemetryStore store) : IAlarmRateSource
{
    /// <summary>The most alarm events read for one comparison.</summary>
    public const int MaximumEvents = 1_000_000;

    /// <inheritdoc />
    public async Task<CanaryAlarmRates> RatesAsync(string canaryLine, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var hours = Math.Max(0, (to - from).TotalHours);
        var machines = await store.LatestAsync(null, cancellationToken).ConfigureAwait(false);
        var canaryMachines = machines.Count(m => m.Line == canaryLine);
        var fleetMachines = machines.Count - canaryMachines;
        var events = await store.AlarmHistoryAsync(new AlarmHistoryQuery(from, to, Limit: MaximumEvents), cancellationToken).ConfigureAwait(false);
        long canary = 0, fleet = 0;
        foreach (var e in events)
        {
            if (e.Kind != AlarmKinds.Anomaly || e.EventType != AlarmEventTypes.Activated)
            {
                continue;
            }

            if (e.Line == canaryLine)
            {
                canary++;
            }
            else
            {
                fleet++;
            }
        }

        return new CanaryAlarmRates(canaryLine, from, to, canary, canaryMachines * hours, fleet, fleetMachines * hours);
    }
}
