using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Server.AddressSpace;

/// <summary>
/// The part of namespace 0 (OPC 10000-5) a generic client relies on: the folder tree, the
/// reference type hierarchy that Browse and TranslateBrowsePaths filter with, the data and
/// object types our nodes name, and the Server object with its status.
/// </summary>
public sealed partial class AddressSpace
{
    private void AddStandardNodes()
    {
        AddRoot(new ObjectNode(ObjectIds.RootFolder, new QualifiedName("Root"), "Root"));

        AddReferenceTypes();

        AddRoot(new ObjectTypeNode(ObjectTypeIds.BaseObjectType, new QualifiedName("BaseObjectType"), "BaseObjectType"));
        AddRoot(new ObjectTypeNode(ObjectTypeIds.FolderType, new QualifiedName("FolderType"), "FolderType"));
        AddRoot(new ObjectTypeNode(ObjectTypeIds.ServerType, new QualifiedName("ServerType"), "ServerType"));
        AddRoot(new VariableTypeNode(VariableTypeIds.BaseVariableType, new QualifiedName("BaseVariableType"), "BaseVariableType") { IsAbstract = true });
        AddRoot(new VariableTypeNode(VariableTypeIds.BaseDataVariableType, new QualifiedName("BaseDataVariableType"), "BaseDataVariableType"));
        AddRoot(new VariableTypeNode(VariableTypeIds.PropertyType, new QualifiedName("PropertyType"), "PropertyType"));
        AddRoot(new VariableTypeNode(VariableTypeIds.DataItemType, new QualifiedName("DataItemType"), "DataItemType"));
        AddRoot(new VariableTypeNode(VariableTypeIds.AnalogItemType, new QualifiedName("AnalogItemType"), "AnalogItemType") { DataType = DataTypeIds.Number });
        AddRoot(new VariableTypeNode(VariableTypeIds.ServerStatusType, new QualifiedName("ServerStatusType"), "ServerStatusType") { DataType = DataTypeIds.ServerStatusDataType, ValueRank = ValueRanks.Scalar });

        AddFolder(ObjectIds.RootFolder, ObjectIds.ObjectsFolder, "Objects");
        AddFolder(ObjectIds.RootFolder, ObjectIds.TypesFolder, "Types");
        AddFolder(ObjectIds.RootFolder, ObjectIds.ViewsFolder, "Views");
        AddFolder(ObjectIds.TypesFolder, ObjectIds.ObjectTypesFolder, "ObjectTypes");
        AddFolder(ObjectIds.TypesFolder, ObjectIds.VariableTypesFolder, "VariableTypes");
        AddFolder(ObjectIds.TypesFolder, ObjectIds.DataTypesFolder, "DataTypes");
        AddFolder(ObjectIds.TypesFolder, ObjectIds.ReferenceTypesFolder, "ReferenceTypes");
        _nodes[ObjectIds.RootFolder].AddReference(new NodeReference(ReferenceTypeIds.HasTypeDefinition, false, ObjectTypeIds.FolderType));

        Link(ObjectIds.ReferenceTypesFolder, ReferenceTypeIds.Organizes, ReferenceTypeIds.References);
        Link(ObjectIds.ObjectTypesFolder, ReferenceTypeIds.Organizes, ObjectTypeIds.BaseObjectType);
        Link(ObjectTypeIds.BaseObjectType, ReferenceTypeIds.HasSubtype, ObjectTypeIds.FolderType);
        Link(ObjectTypeIds.BaseObjectType, ReferenceTypeIds.HasSubtype, ObjectTypeIds.ServerType);
        Link(ObjectIds.VariableTypesFolder, ReferenceTypeIds.Organizes, VariableTypeIds.BaseVariableType);
        Link(VariableTypeIds.BaseVariableType, ReferenceTypeIds.HasSubtype, VariableTypeIds.BaseDataVariableType);
        Link(VariableTypeIds.BaseVariableType, ReferenceTypeIds.HasSubtype, VariableTypeIds.PropertyType);
        Link(VariableTypeIds.BaseDataVariableType, ReferenceTypeIds.HasSubtype, VariableTypeIds.DataItemType);
        Link(VariableTypeIds.DataItemType, ReferenceTypeIds.HasSubtype, VariableTypeIds.AnalogItemType);
        Link(VariableTypeIds.BaseDataVariableType, ReferenceTypeIds.HasSubtype, VariableTypeIds.ServerStatusType);

        AddDataTypes();
        AddServerObject();
    }

    private void AddReferenceTypes()
    {
        (NodeId Id, string Name, string? Inverse, bool Abstract, bool Symmetric, NodeId? Parent)[] types =
        [
            (ReferenceTypeIds.References, "References", null, true, true, null),
            (ReferenceTypeIds.HierarchicalReferences, "HierarchicalReferences", "InverseHierarchicalReferences", true, false, ReferenceTypeIds.References),
            (ReferenceTypeIds.NonHierarchicalReferences, "NonHierarchicalReferences", "NonHierarchicalReferences", true, true, ReferenceTypeIds.References),
            (ReferenceTypeIds.HasChild, "HasChild", "ChildOf", true, false, ReferenceTypeIds.HierarchicalReferences),
            (ReferenceTypeIds.Organizes, "Organizes", "OrganizedBy", false, false, ReferenceTypeIds.HierarchicalReferences),
            (ReferenceTypeIds.HasEventSource, "HasEventSource", "EventSourceOf", false, false, ReferenceTypeIds.HierarchicalReferences),
            (ReferenceTypeIds.HasNotifier, "HasNotifier", "NotifierOf", false, false, ReferenceTypeIds.HasEventSource),
            (ReferenceTypeIds.Aggregates, "Aggregates", "AggregatedBy", true, false, ReferenceTypeIds.HasChild),
            (ReferenceTypeIds.HasSubtype, "HasSubtype", "SubtypeOf", false, false, ReferenceTypeIds.HasChild),
            (ReferenceTypeIds.HasComponent, "HasComponent", "ComponentOf", false, false, ReferenceTypeIds.Aggregates),
            (ReferenceTypeIds.HasProperty, "HasProperty", "PropertyOf", false, false, ReferenceTypeIds.Aggregates),
            (ReferenceTypeIds.HasOrderedComponent, "HasOrderedComponent", "OrderedComponentOf", false, false, ReferenceTypeIds.HasComponent),
            (ReferenceTypeIds.HasTypeDefinition, "HasTypeDefinition", "TypeDefinitionOf", false, false, ReferenceTypeIds.NonHierarchicalReferences),
            (ReferenceTypeIds.HasModellingRule, "HasModellingRule", "ModellingRuleOf", false, false, ReferenceTypeIds.NonHierarchicalReferences),
            (ReferenceTypeIds.HasEncoding, "HasEncoding", "EncodingOf", false, false, ReferenceTypeIds.NonHierarchicalReferences),
            (ReferenceTypeIds.HasDescription, "HasDescription", "DescriptionOf", false, false, ReferenceTypeIds.NonHierarchicalReferences),
            (ReferenceTypeIds.GeneratesEvent, "GeneratesEvent", "GeneratedBy", false, false, ReferenceTypeIds.NonHierarchicalReferences),
        ];

        foreach (var (id, name, inverse, isAbstract, symmetric, _) in types)
        {
            AddRoot(new ReferenceTypeNode(id, new QualifiedName(name), name)
            {
                IsAbstract = isAbstract,
                Symmetric = symmetric,
                InverseName = inverse is null ? null : new LocalizedText(inverse),
            });
        }

        foreach (var (id, _, _, _, _, parent) in types)
        {
            if (parent is { } p)
            {
                Link(p, ReferenceTypeIds.HasSubtype, id);
            }
        }
    }

    private void AddDataTypes()
    {
        (NodeId Id, string Name, bool Abstract, NodeId? Parent)[] types =
        [
            (DataTypeIds.BaseDataType, "BaseDataType", true, null),
            (DataTypeIds.Boolean, "Boolean", false, DataTypeIds.BaseDataType),
            (DataTypeIds.Number, "Number", true, DataTypeIds.BaseDataType),
            (DataTypeIds.Integer, "Integer", true, DataTypeIds.Number),
            (DataTypeIds.UInteger, "UInteger", true, DataTypeIds.Number),
            (DataTypeIds.SByte, "SByte", false, DataTypeIds.Integer),
            (DataTypeIds.Int16, "Int16", false, DataTypeIds.Integer),
            (DataTypeIds.Int32, "Int32", false, DataTypeIds.Integer),
            (DataTypeIds.Int64, "Int64", false, DataTypeIds.Integer),
            (DataTypeIds.Byte, "Byte", false, DataTypeIds.UInteger),
            (DataTypeIds.UInt16, "UInt16", false, DataTypeIds.UInteger),
            (DataTypeIds.UInt32, "UInt32", false, DataTypeIds.UInteger),
            (DataTypeIds.UInt64, "UInt64", false, DataTypeIds.UInteger),
            (DataTypeIds.Float, "Float", false, DataTypeIds.Number),
            (DataTypeIds.Double, "Double", false, DataTypeIds.Number),
            (DataTypeIds.Duration, "Duration", false, DataTypeIds.Double),
            (DataTypeIds.String, "String", false, DataTypeIds.BaseDataType),
            (DataTypeIds.LocaleId, "LocaleId", false, DataTypeIds.String),
            (DataTypeIds.DateTime, "DateTime", false, DataTypeIds.BaseDataType),
            (DataTypeIds.UtcTime, "UtcTime", false, DataTypeIds.DateTime),
            (DataTypeIds.Guid, "Guid", false, DataTypeIds.BaseDataType),
            (DataTypeIds.ByteString, "ByteString", false, DataTypeIds.BaseDataType),
            (DataTypeIds.XmlElement, "XmlElement", false, DataTypeIds.BaseDataType),
            (DataTypeIds.NodeId, "NodeId", false, DataTypeIds.BaseDataType),
            (DataTypeIds.ExpandedNodeId, "ExpandedNodeId", false, DataTypeIds.BaseDataType),
            (DataTypeIds.StatusCode, "StatusCode", false, DataTypeIds.BaseDataType),
            (DataTypeIds.QualifiedName, "QualifiedName", false, DataTypeIds.BaseDataType),
            (DataTypeIds.LocalizedText, "LocalizedText", false, DataTypeIds.BaseDataType),
            (DataTypeIds.DataValue, "DataValue", false, DataTypeIds.BaseDataType),
            (DataTypeIds.DiagnosticInfo, "DiagnosticInfo", false, DataTypeIds.BaseDataType),
            (DataTypeIds.Structure, "Structure", true, DataTypeIds.BaseDataType),
            (DataTypeIds.Range, "Range", false, DataTypeIds.Structure),
            (DataTypeIds.EUInformation, "EUInformation", false, DataTypeIds.Structure),
            (DataTypeIds.Argument, "Argument", false, DataTypeIds.Structure),
            (DataTypeIds.BuildInfo, "BuildInfo", false, DataTypeIds.Structure),
            (DataTypeIds.ServerStatusDataType, "ServerStatusDataType", false, DataTypeIds.Structure),
            (DataTypeIds.Enumeration, "Enumeration", true, DataTypeIds.BaseDataType),
            (DataTypeIds.ServerState, "ServerState", false, DataTypeIds.Enumeration),
        ];

        foreach (var (id, name, isAbstract, _) in types)
        {
            AddRoot(new DataTypeNode(id, new QualifiedName(name), name) { IsAbstract = isAbstract });
        }

        Link(ObjectIds.DataTypesFolder, ReferenceTypeIds.Organizes, DataTypeIds.BaseDataType);
        foreach (var (id, _, _, parent) in types)
        {
            if (parent is { } p)
            {
                Link(p, ReferenceTypeIds.HasSubtype, id);
            }
        }
    }

    private void AddServerObject()
    {
        var server = AddObject(ObjectIds.ObjectsFolder, ObjectIds.Server, "Server", ObjectTypeIds.ServerType);
        AddProperty(server.NodeId, VariableIds.Server_ServerArray, "ServerArray", DataTypeIds.String, new Variant(new string?[] { NamespaceUris[1] }), ValueRanks.OneDimension);
        AddProperty(server.NodeId, VariableIds.Server_NamespaceArray, "NamespaceArray", DataTypeIds.String, new Variant(NamespaceUris.ToArray<string?>()), ValueRanks.OneDimension);
        AddVariable(server.NodeId, VariableIds.Server_ServiceLevel, "ServiceLevel", DataTypeIds.Byte, new Variant((byte)255), typeDefinition: VariableTypeIds.PropertyType, referenceTypeId: ReferenceTypeIds.HasProperty);
        AddProperty(server.NodeId, VariableIds.Server_Auditing, "Auditing", DataTypeIds.Boolean, new Variant(false));

        var status = AddVariable(server.NodeId, VariableIds.Server_ServerStatus, "ServerStatus", DataTypeIds.ServerStatusDataType, Variant.Null, typeDefinition: VariableTypeIds.ServerStatusType, minimumSamplingInterval: 1000);
        AddVariable(status.NodeId, VariableIds.Server_ServerStatus_StartTime, "StartTime", DataTypeIds.UtcTime, Variant.Null);
        AddVariable(status.NodeId, VariableIds.Server_ServerStatus_CurrentTime, "CurrentTime", DataTypeIds.UtcTime, Variant.Null, minimumSamplingInterval: 1000);
        AddVariable(status.NodeId, VariableIds.Server_ServerStatus_State, "State", DataTypeIds.ServerState, new Variant((int)ServerState.Suspended));
        var build = AddVariable(status.NodeId, VariableIds.Server_ServerStatus_BuildInfo, "BuildInfo", DataTypeIds.BuildInfo, Variant.Null);
        AddVariable(build.NodeId, VariableIds.Server_ServerStatus_BuildInfo_ProductUri, "ProductUri", DataTypeIds.String, Variant.Null);
        AddVariable(build.NodeId, VariableIds.Server_ServerStatus_BuildInfo_ManufacturerName, "ManufacturerName", DataTypeIds.String, Variant.Null);
        AddVariable(build.NodeId, VariableIds.Server_ServerStatus_BuildInfo_ProductName, "ProductName", DataTypeIds.String, Variant.Null);
        AddVariable(build.NodeId, VariableIds.Server_ServerStatus_BuildInfo_SoftwareVersion, "SoftwareVersion", DataTypeIds.String, Variant.Null);
        AddVariable(build.NodeId, VariableIds.Server_ServerStatus_BuildInfo_BuildNumber, "BuildNumber", DataTypeIds.String, Variant.Null);
        AddVariable(build.NodeId, VariableIds.Server_ServerStatus_BuildInfo_BuildDate, "BuildDate", DataTypeIds.UtcTime, Variant.Null);
        AddVariable(status.NodeId, VariableIds.Server_ServerStatus_SecondsTillShutdown, "SecondsTillShutdown", DataTypeIds.UInt32, new Variant(0u));
        AddVariable(status.NodeId, VariableIds.Server_ServerStatus_ShutdownReason, "ShutdownReason", DataTypeIds.LocalizedText, new Variant(LocalizedText.Null));

        var capabilities = AddObject(server.NodeId, ObjectIds.Server_ServerCapabilities, "ServerCapabilities", referenceTypeId: ReferenceTypeIds.HasComponent);
        AddProperty(capabilities.NodeId, VariableIds.Server_ServerCapabilities_ServerProfileArray, "ServerProfileArray", DataTypeIds.String,
            new Variant(new string?[] { "http://opcfoundation.org/UA-Profile/Server/EmbeddedUA" }), ValueRanks.OneDimension);
        AddProperty(capabilities.NodeId, VariableIds.Server_ServerCapabilities_LocaleIdArray, "LocaleIdArray", DataTypeIds.LocaleId, new Variant(new string?[] { "en" }), ValueRanks.OneDimension);
        AddProperty(capabilities.NodeId, VariableIds.Server_ServerCapabilities_MinSupportedSampleRate, "MinSupportedSampleRate", DataTypeIds.Duration, new Variant(0.0));
    }

    /// <summary>Sets the Server object's status and build information (called by the server at start and each second).</summary>
    internal void UpdateServerStatus(ServerState state, DateTime startTime, BuildInfo buildInfo)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        GetVariable(VariableIds.Server_ServerStatus_StartTime).SetValue(new Variant(startTime));
        GetVariable(VariableIds.Server_ServerStatus_CurrentTime).SetValue(new Variant(now));
        GetVariable(VariableIds.Server_ServerStatus_State).SetValue(new Variant((int)state));
        GetVariable(VariableIds.Server_ServerStatus_BuildInfo_ProductUri).SetValue(new Variant(buildInfo.ProductUri));
        GetVariable(VariableIds.Server_ServerStatus_BuildInfo_ManufacturerName).SetValue(new Variant(buildInfo.ManufacturerName));
        GetVariable(VariableIds.Server_ServerStatus_BuildInfo_ProductName).SetValue(new Variant(buildInfo.ProductName));
        GetVariable(VariableIds.Server_ServerStatus_BuildInfo_SoftwareVersion).SetValue(new Variant(buildInfo.SoftwareVersion));
        GetVariable(VariableIds.Server_ServerStatus_BuildInfo_BuildNumber).SetValue(new Variant(buildInfo.BuildNumber));
        GetVariable(VariableIds.Server_ServerStatus_BuildInfo_BuildDate).SetValue(new Variant(buildInfo.BuildDate));
        GetVariable(VariableIds.Server_ServerStatus_BuildInfo).SetValue(new Variant(new ExtensionObject(buildInfo)));
        GetVariable(VariableIds.Server_ServerStatus).SetValue(new Variant(new ExtensionObject(
            new ServerStatusDataType(startTime, now, state, buildInfo, 0, LocalizedText.Null))));
    }

    private void Link(NodeId source, NodeId referenceTypeId, NodeId target) => AddReference(source, referenceTypeId, target);
}
