namespace Factory.OpcUa.Types;

/// <summary>The attributes of a node (OPC 10000-6, A.1), as read and written by Read, Write and monitored items.</summary>
public static class AttributeIds
{
    public const uint NodeId = 1;
    public const uint NodeClass = 2;
    public const uint BrowseName = 3;
    public const uint DisplayName = 4;
    public const uint Description = 5;
    public const uint WriteMask = 6;
    public const uint UserWriteMask = 7;
    public const uint IsAbstract = 8;
    public const uint Symmetric = 9;
    public const uint InverseName = 10;
    public const uint ContainsNoLoops = 11;
    public const uint EventNotifier = 12;
    public const uint Value = 13;
    public const uint DataType = 14;
    public const uint ValueRank = 15;
    public const uint ArrayDimensions = 16;
    public const uint AccessLevel = 17;
    public const uint UserAccessLevel = 18;
    public const uint MinimumSamplingInterval = 19;
    public const uint Historizing = 20;
    public const uint Executable = 21;
    public const uint UserExecutable = 22;
    public const uint DataTypeDefinition = 23;
    public const uint RolePermissions = 24;
    public const uint UserRolePermissions = 25;
    public const uint AccessRestrictions = 26;
    public const uint AccessLevelEx = 27;

    public static string Name(uint attributeId) => attributeId switch
    {
        NodeId => nameof(NodeId),
        NodeClass => nameof(NodeClass),
        BrowseName => nameof(BrowseName),
        DisplayName => nameof(DisplayName),
        Description => nameof(Description),
        WriteMask => nameof(WriteMask),
        UserWriteMask => nameof(UserWriteMask),
        IsAbstract => nameof(IsAbstract),
        Symmetric => nameof(Symmetric),
        InverseName => nameof(InverseName),
        ContainsNoLoops => nameof(ContainsNoLoops),
        EventNotifier => nameof(EventNotifier),
        Value => nameof(Value),
        DataType => nameof(DataType),
        ValueRank => nameof(ValueRank),
        ArrayDimensions => nameof(ArrayDimensions),
        AccessLevel => nameof(AccessLevel),
        UserAccessLevel => nameof(UserAccessLevel),
        MinimumSamplingInterval => nameof(MinimumSamplingInterval),
        Historizing => nameof(Historizing),
        Executable => nameof(Executable),
        UserExecutable => nameof(UserExecutable),
        DataTypeDefinition => nameof(DataTypeDefinition),
        RolePermissions => nameof(RolePermissions),
        UserRolePermissions => nameof(UserRolePermissions),
        AccessRestrictions => nameof(AccessRestrictions),
        AccessLevelEx => nameof(AccessLevelEx),
        _ => $"Attribute{attributeId}",
    };
}

/// <summary>Bits of the AccessLevel attribute (OPC 10000-3, 5.6.2).</summary>
[Flags]
public enum AccessLevels : byte
{
    None = 0,
    CurrentRead = 0x01,
    CurrentWrite = 0x02,
    HistoryRead = 0x04,
    HistoryWrite = 0x08,
    SemanticChange = 0x10,
    StatusWrite = 0x20,
    TimestampWrite = 0x40,
}

/// <summary>Value ranks of a variable (OPC 10000-3, 5.6.2).</summary>
public static class ValueRanks
{
    public const int ScalarOrOneDimension = -3;
    public const int Any = -2;
    public const int Scalar = -1;
    public const int OneOrMoreDimensions = 0;
    public const int OneDimension = 1;
}

/// <summary>Deadband types of a DataChangeFilter (OPC 10000-4, 7.22.2).</summary>
public enum DeadbandType : uint
{
    None = 0,
    Absolute = 1,
    Percent = 2,
}
