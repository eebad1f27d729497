// Well-known nodes of namespace 0 (OPC 10000-5 and the NodeIds table of the specification).
using Factory.OpcUa.Encoding;

namespace Factory.OpcUa.Types;

public static class ObjectIds
{
    public static readonly NodeId RootFolder = new(84);
    public static readonly NodeId ObjectsFolder = new(85);
    public static readonly NodeId TypesFolder = new(86);
    public static readonly NodeId ViewsFolder = new(87);
    public static readonly NodeId ObjectTypesFolder = new(88);
    public static readonly NodeId VariableTypesFolder = new(89);
    public static readonly NodeId DataTypesFolder = new(90);
    public static readonly NodeId ReferenceTypesFolder = new(91);
    public static readonly NodeId Server = new(2253);
    public static readonly NodeId Server_ServerCapabilities = new(2268);
    public static readonly NodeId Server_ServerDiagnostics = new(2274);
    public static readonly NodeId Server_VendorServerInfo = new(2295);
    public static readonly NodeId Server_ServerRedundancy = new(2296);
    public static readonly NodeId Server_Namespaces = new(11715);
    public static readonly NodeId ModellingRule_Mandatory = new(78);
}

public static class ObjectTypeIds
{
    public static readonly NodeId BaseObjectType = new(58);
    public static readonly NodeId FolderType = new(61);
    public static readonly NodeId ServerType = new(2004);
    public static readonly NodeId BaseEventType = new(2041);
}

public static class VariableTypeIds
{
    public static readonly NodeId BaseVariableType = new(62);
    public static readonly NodeId BaseDataVariableType = new(63);
    public static readonly NodeId PropertyType = new(68);
    public static readonly NodeId DataItemType = new(2365);
    public static readonly NodeId AnalogItemType = new(2368);
    public static readonly NodeId ServerStatusType = new(2138);
}

public static class ReferenceTypeIds
{
    public static readonly NodeId References = new(31);
    public static readonly NodeId NonHierarchicalReferences = new(32);
    public static readonly NodeId HierarchicalReferences = new(33);
    public static readonly NodeId HasChild = new(34);
    public static readonly NodeId Organizes = new(35);
    public static readonly NodeId HasEventSource = new(36);
    public static readonly NodeId HasModellingRule = new(37);
    public static readonly NodeId HasEncoding = new(38);
    public static readonly NodeId HasDescription = new(39);
    public static readonly NodeId HasTypeDefinition = new(40);
    public static readonly NodeId GeneratesEvent = new(41);
    public static readonly NodeId Aggregates = new(44);
    public static readonly NodeId HasSubtype = new(45);
    public static readonly NodeId HasProperty = new(46);
    public static readonly NodeId HasComponent = new(47);
    public static readonly NodeId HasNotifier = new(48);
    public static readonly NodeId HasOrderedComponent = new(49);
}

public static class DataTypeIds
{
    public static readonly NodeId BaseDataType = new(24);
    public static readonly NodeId Number = new(26);
    public static readonly NodeId Integer = new(27);
    public static readonly NodeId UInteger = new(28);
    public static readonly NodeId Enumeration = new(29);
    public static readonly NodeId Boolean = new(1);
    public static readonly NodeId SByte = new(2);
    public static readonly NodeId Byte = new(3);
    public static readonly NodeId Int16 = new(4);
    public static readonly NodeId UInt16 = new(5);
    public static readonly NodeId Int32 = new(6);
    public static readonly NodeId UInt32 = new(7);
    public static readonly NodeId Int64 = new(8);
    public static readonly NodeId UInt64 = new(9);
    public static readonly NodeId Float = new(10);
    public static readonly NodeId Double = new(11);
    public static readonly NodeId String = new(12);
    public static readonly NodeId DateTime = new(13);
    public static readonly NodeId Guid = new(14);
    public static readonly NodeId ByteString = new(15);
    public static readonly NodeId XmlElement = new(16);
    public static readonly NodeId NodeId = new(17);
    public static readonly NodeId ExpandedNodeId = new(18);
    public static readonly NodeId StatusCode = new(19);
    public static readonly NodeId QualifiedName = new(20);
    public static readonly NodeId LocalizedText = new(21);
    public static readonly NodeId Structure = new(22);
    public static readonly NodeId DataValue = new(23);
    public static readonly NodeId DiagnosticInfo = new(25);
    public static readonly NodeId Duration = new(290);
    public static readonly NodeId UtcTime = new(294);
    public static readonly NodeId LocaleId = new(295);
    public static readonly NodeId Range = new(884);
    public static readonly NodeId EUInformation = new(887);
    public static readonly NodeId Argument = new(296);
    public static readonly NodeId ServerState = new(852);
    public static readonly NodeId BuildInfo = new(338);
    public static readonly NodeId ServerStatusDataType = new(862);
}

public static class VariableIds
{
    public static readonly NodeId Server_ServerArray = new(2254);
    public static readonly NodeId Server_NamespaceArray = new(2255);
    public static readonly NodeId Server_ServerStatus = new(2256);
    public static readonly NodeId Server_ServerStatus_StartTime = new(2257);
    public static readonly NodeId Server_ServerStatus_CurrentTime = new(2258);
    public static readonly NodeId Server_ServerStatus_State = new(2259);
    public static readonly NodeId Server_ServerStatus_BuildInfo = new(2260);
    public static readonly NodeId Server_ServerStatus_BuildInfo_ProductUri = new(2262);
    public static readonly NodeId Server_ServerStatus_BuildInfo_ManufacturerName = new(2263);
    public static readonly NodeId Server_ServerStatus_BuildInfo_ProductName = new(2261);
    public static readonly NodeId Server_ServerStatus_BuildInfo_SoftwareVersion = new(2264);
    public static readonly NodeId Server_ServerStatus_BuildInfo_BuildNumber = new(2265);
    public static readonly NodeId Server_ServerStatus_BuildInfo_BuildDate = new(2266);
    public static readonly NodeId Server_ServerStatus_SecondsTillShutdown = new(2992);
    public static readonly NodeId Server_ServerStatus_ShutdownReason = new(2993);
    public static readonly NodeId Server_ServiceLevel = new(2267);
    public static readonly NodeId Server_Auditing = new(2994);
    public static readonly NodeId Server_ServerCapabilities_ServerProfileArray = new(2269);
    public static readonly NodeId Server_ServerCapabilities_LocaleIdArray = new(2271);
    public static readonly NodeId Server_ServerCapabilities_MinSupportedSampleRate = new(2272);
    public static readonly NodeId Server_ServerCapabilities_MaxBrowseContinuationPoints = new(2735);
    public static readonly NodeId Server_ServerCapabilities_OperationLimits = new(11704);
    public static readonly NodeId Server_ServerCapabilities_MaxArrayLength = new(11702);
    public static readonly NodeId Server_ServerCapabilities_MaxStringLength = new(11703);
    public static readonly NodeId Server_ServerCapabilities_MaxByteStringLength = new(12911);
    public static readonly NodeId AnalogItemType_EURange = new(2369);
}
