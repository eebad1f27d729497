namespace Factory.Cloud.Access;

/// <summary>The roles of the portal's users; a user has one or more.</summary>
public static class UserRoles
{
    /// <summary>Reacts to alarms: acknowledges and shelves them.</summary>
    public const string Supervisor = "Supervisor";

    /// <summary>Turns predictions into work orders and schedules them.</summary>
    public const string Planner = "Planner";

    /// <summary>Trains, compares, promotes and rolls back models.</summary>
    public const string ReliabilityEngineer = "ReliabilityEngineer";

    /// <summary>Manages users.</summary>
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } = [Supervisor, Planner, ReliabilityEngineer, Admin];
}
