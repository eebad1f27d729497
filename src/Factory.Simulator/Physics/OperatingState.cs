namespace Factory.Simulator.Physics;

/// <summary>
/// What a machine is doing, as its status node says it (the text in brackets).
/// </summary>
public enum OperatingState
{
    /// <summary>"running": producing, in a shift.</summary>
    Running,

    /// <summary>"idle": powered and ready between shifts of a production day; motors at rest (a press's pump idles).</summary>
    Idle,

    /// <summary>"stopped": planned stop, a day without shifts; de-energised.</summary>
    Stopped,

    /// <summary>"failed": broken down; stays so until maintenance repairs it.</summary>
    Failed,

    /// <summary>"maintenance": locked out for a maintenance job.</summary>
    Maintenance,
}

public static class OperatingStateText
{
    /// <summary>The status node's text for <paramref name="state"/>.</summary>
    public static string Text(this OperatingState state) => state switch
    {
        OperatingState.Running => "running",
        OperatingState.Idle => "idle",
        OperatingState.Stopped => "stopped",
        OperatingState.Failed => "failed",
        OperatingState.Maintenance => "maintenance",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };
}
