namespace Factory.Contracts.Telemetry;

/// <summary>
/// A machine's health over one summary interval: its anomaly scores (the edge scores every
/// evaluation interval, 1 s by default) and the state of its data. (line, machine, start)
/// identifies it.
/// </summary>
/// <param name="Line">The line id.</param>
/// <param name="Machine">The machine id.</param>
/// <param name="Start">Start of the interval (UTC), by the machine's clock.</param>
/// <param name="IntervalSeconds">Length of the interval.</param>
/// <param name="Evaluations">How many times the machine was scored in the interval (0 without a model or without data).</param>
/// <param name="LastScore">The newest anomaly score; null if none.</param>
/// <param name="MeanScore">Mean of the scores; null if none.</param>
/// <param name="MaxScore">Largest score; null if none.</param>
/// <param name="Threshold">The model's threshold: a score above it is anomalous; null without a model.</param>
/// <param name="Model">The model in service, e.g. <c>pump-anomaly v3</c>; null without one.</param>
/// <param name="State">The machine's operating state (running, idle, stopped, failed, unknown) at the end of the interval.</param>
/// <param name="Stale">Whether the machine's data was stale at the end of the interval.</param>
public sealed record MachineHealth(
    string Line,
    string Machine,
    DateTimeOffset Start,
    double IntervalSeconds,
    int Evaluations,
    double? LastScore,
    double? MeanScore,
    double? MaxScore,
    double? Threshold,
    string? Model,
    string State,
    bool Stale);
