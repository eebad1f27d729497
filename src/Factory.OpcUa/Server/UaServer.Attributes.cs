using System.Globalization;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Server.AddressSpace;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Server;

/// <summary>Read and Write (OPC 10000-4, 5.10), with the attributes of OPC 10000-3, 5.</summary>
public sealed partial class UaServer
{
    private ReadResponse Read(ReadRequest request)
    {
        if (request.MaxAge < 0)
        {
            throw new ServiceResultException(StatusCodes.BadMaxAgeInvalid, $"MaxAge {request.MaxAge} is negative");
        }

        if (request.TimestampsToReturn is < TimestampsToReturn.Source or > TimestampsToReturn.Neither)
        {
            throw new ServiceResultException(StatusCodes.BadTimestampsToReturnInvalid, $"TimestampsToReturn {(int)request.TimestampsToReturn} is not defined");
        }

        var nodes = Operations(request.NodesToRead);
        var results = new DataValue[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            results[i] = ReadAttribute(nodes[i], request.TimestampsToReturn);
        }

        return new ReadResponse(ResponseHeader(request.RequestHeader), results, null);
    }

    private DataValue ReadAttribute(ReadValueId item, TimestampsToReturn timestamps)
    {
        if (!AddressSpace.TryGetNode(item.NodeId, out var node))
        {
            return Bad(StatusCodes.BadNodeIdUnknown);
        }

        if (!item.DataEncoding.IsNull)
        {
            if (item.AttributeId != AttributeIds.Value)
            {
                return Bad(StatusCodes.BadDataEncodingInvalid);
            }

            if (item.DataEncoding.Name != "Default Binary" && item.DataEncoding.Name != "DefaultBinary")
            {
                return Bad(StatusCodes.BadDataEncodingUnsupported);
            }
        }

        if (item.AttributeId == AttributeIds.Value)
        {
            return node is VariableNode variable ? ReadValue(variable, item.IndexRange, timestamps) : Bad(StatusCodes.BadAttributeIdInvalid);
        }

        if (item.IndexRange is not null)
        {
            return Bad(StatusCodes.BadIndexRangeNoData);
        }

        var value = AttributeValue(node, item.AttributeId);
        return value is { } v ? new DataValue(v) : Bad(StatusCodes.BadAttributeIdInvalid);
    }

    private DataValue ReadValue(VariableNode variable, string? indexRange, TimestampsToReturn timestamps)
    {
        if ((variable.AccessLevel & AccessLevels.CurrentRead) == 0)
        {
            return Bad(StatusCodes.BadNotReadable);
        }

        var value = variable.Value;
        if (indexRange is not null)
        {
            var status = NumericRange.TryApply(indexRange, value.Value, out var part);
            if (status.IsBad)
            {
                return Bad(status.Code);
            }

            value = value with { Value = part };
        }

        return timestamps switch
        {
            TimestampsToReturn.Source => value with { ServerTimestamp = default, ServerPicoseconds = 0 },
            TimestampsToReturn.Server => value with { SourceTimestamp = default, SourcePicoseconds = 0, ServerTimestamp = Time.GetUtcNow().UtcDateTime },
            TimestampsToReturn.Neither => value with { SourceTimestamp = default, ServerTimestamp = default, SourcePicoseconds = 0, ServerPicoseconds = 0 },
            _ => value with { ServerTimestamp = Time.GetUtcNow().UtcDateTime },
        };
    }

    /// <summary>The value of a non-Value attribute, or null when the node class has no such attribute.</summary>
    private static Variant? AttributeValue(Node node, uint attributeId) => attributeId switch
    {
        AttributeIds.NodeId => new Variant(node.NodeId),
        AttributeIds.NodeClass => new Variant((int)node.NodeClass),
        AttributeIds.BrowseName => new Variant(node.BrowseName),
        AttributeIds.DisplayName => new Variant(node.DisplayName),
        AttributeIds.Description => new Variant(node.Description ?? LocalizedText.Null),
        AttributeIds.WriteMask or AttributeIds.UserWriteMask => new Variant(0u),
        _ => node switch
        {
            ObjectNode o when attributeId == AttributeIds.EventNotifier => new Variant(o.EventNotifier),
            VariableNode v => VariableAttribute(v, attributeId),
            VariableTypeNode t => attributeId switch
            {
                AttributeIds.IsAbstract => new Variant(t.IsAbstract),
                AttributeIds.DataType => new Variant(t.DataType),
                AttributeIds.ValueRank => new Variant(t.ValueRank),
                AttributeIds.ArrayDimensions => new Variant(Array.Empty<uint>()),
                _ => (Variant?)null,
            },
            ObjectTypeNode t when attributeId == AttributeIds.IsAbstract => new Variant(t.IsAbstract),
            DataTypeNode t when attributeId == AttributeIds.IsAbstract => new Variant(t.IsAbstract),
            ReferenceTypeNode r => attributeId switch
            {
                AttributeIds.IsAbstract => new Variant(r.IsAbstract),
                AttributeIds.Symmetric => new Variant(r.Symmetric),
                AttributeIds.InverseName => new Variant(r.InverseName ?? LocalizedText.Null),
                _ => (Variant?)null,
            },
            MethodNode m when attributeId is AttributeIds.Executable or AttributeIds.UserExecutable => new Variant(m.Executable),
            _ => (Variant?)null,
        },
    };

    private static Variant? VariableAttribute(VariableNode variable, uint attributeId) => attributeId switch
    {
        AttributeIds.DataType => new Variant(variable.DataType),
        AttributeIds.ValueRank => new Variant(variable.ValueRank),
        AttributeIds.ArrayDimensions => variable.ArrayDimensions is { } dims
            ? new Variant(dims)
            : variable.ValueRank > 0 ? new Variant(new uint[variable.ValueRank]) : Variant.Null,
        AttributeIds.AccessLevel or AttributeIds.UserAccessLevel => new Variant((byte)variable.AccessLevel),
        AttributeIds.AccessLevelEx => new Variant((uint)variable.AccessLevel),
        AttributeIds.MinimumSamplingInterval => new Variant(variable.MinimumSamplingInterval),
        AttributeIds.Historizing => new Variant(variable.Historizing),
        _ => (Variant?)null,
    };

    private WriteResponse Write(WriteRequest request)
    {
        var nodes = Operations(request.NodesToWrite);
        var results = new StatusCode[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            results[i] = WriteAttribute(nodes[i]);
        }

        return new WriteResponse(ResponseHeader(request.RequestHeader), results, null);
    }

    private StatusCode WriteAttribute(WriteValue item)
    {
        if (!AddressSpace.TryGetNode(item.NodeId, out var node))
        {
            return StatusCodes.BadNodeIdUnknown;
        }

        if (item.AttributeId is < AttributeIds.NodeId or > AttributeIds.AccessLevelEx)
        {
            return StatusCodes.BadAttributeIdInvalid;
        }

        if (item.AttributeId != AttributeIds.Value || node is not VariableNode variable)
        {
            return StatusCodes.BadNotWritable;
        }

        if ((variable.AccessLevel & AccessLevels.CurrentWrite) == 0)
        {
            return StatusCodes.BadNotWritable;
        }

        if (item.IndexRange is not null)
        {
            return StatusCodes.BadWriteNotSupported;
        }

        var value = item.Value;
        if (!IsAssignable(variable, value.Value))
        {
            return StatusCodes.BadTypeMismatch;
        }

        if (variable.OnWrite is { } onWrite)
        {
            var verdict = onWrite(variable, value);
            if (!verdict.IsGood)
            {
                return verdict;
            }
        }

        var now = Time.GetUtcNow().UtcDateTime;
        variable.SetValue(value with
        {
            SourceTimestamp = value.SourceTimestamp == default ? now : value.SourceTimestamp,
            ServerTimestamp = now,
        });
        return StatusCode.Good;
    }

    /// <summary>
    /// Whether a value fits a variable's DataType and ValueRank (OPC 10000-3, 5.6.2): the
    /// Variant's built-in type must be the data type or the built-in type it derives from.
    /// </summary>
    private bool IsAssignable(VariableNode variable, Variant value)
    {
        if (value.IsNull)
        {
            return variable.DataType == DataTypeIds.BaseDataType;
        }

        var rankFits = variable.ValueRank switch
        {
            ValueRanks.Scalar => value.IsScalar,
            ValueRanks.Any => true,
            ValueRanks.ScalarOrOneDimension => value.IsScalar || value.IsArray,
            ValueRanks.OneOrMoreDimensions => !value.IsScalar,
            ValueRanks.OneDimension => value.IsArray,
            var n when n > 1 => value.IsMatrix && value.ArrayDimensions!.Length == n,
            _ => false,
        };
        return rankFits && TypeFits(variable.DataType, value.Type);
    }

    private bool TypeFits(NodeId dataType, BuiltInType type)
    {
        if (dataType == DataTypeIds.BaseDataType)
        {
            return true;
        }

        if (dataType.NamespaceIndex == 0 && dataType.IdType == IdType.Numeric && dataType.NumericIdentifier <= (uint)BuiltInType.DiagnosticInfo)
        {
            return dataType.NumericIdentifier == (uint)type || (type == BuiltInType.Variant);
        }

        if (dataType == DataTypeIds.Number)
        {
            return type is >= BuiltInType.SByte and <= BuiltInType.Double;
        }

        if (dataType == DataTypeIds.Integer)
        {
            return type is BuiltInType.SByte or BuiltInType.Int16 or BuiltInType.Int32 or BuiltInType.Int64;
        }

        if (dataType == DataTypeIds.UInteger)
        {
            return type is BuiltInType.Byte or BuiltInType.UInt16 or BuiltInType.UInt32 or BuiltInType.UInt64;
        }

        if (AddressSpace.IsSubtypeOf(dataType, DataTypeIds.Enumeration))
        {
            return type == BuiltInType.Int32;
        }

        if (AddressSpace.IsSubtypeOf(dataType, DataTypeIds.Structure) || !AddressSpace.TryGetNode(dataType, out _))
        {
            return type == BuiltInType.ExtensionObject;
        }

        // A subtype of a built-in type (Duration of Double, UtcTime of DateTime, ...): find the built-in ancestor.
        foreach (var reference in AddressSpace.TryGetNode(dataType, out var node) ? node.References : [])
        {
            if (reference.IsInverse && reference.ReferenceTypeId == ReferenceTypeIds.HasSubtype)
            {
                return TypeFits(reference.TargetId, type);
            }
        }

        return false;
    }

    private static DataValue Bad(uint status) => new(Variant.Null, status);
}

/// <summary>
/// The index ranges of OPC 10000-4, 7.27 for one-dimensional arrays, strings and byte strings:
/// "3" or "2:5". Ranges of matrices are not supported and are reported as BadIndexRangeInvalid.
/// </summary>
internal static class NumericRange
{
    public static StatusCode TryApply(string range, Variant value, out Variant result)
    {
        result = Variant.Null;
        if (!TryParse(range, out var first, out var last))
        {
            return StatusCodes.BadIndexRangeInvalid;
        }

        if (value.IsArray)
        {
            var array = value.ArrayValue!;
            if (first >= array.Length)
            {
                return StatusCodes.BadIndexRangeNoData;
            }

            var count = Math.Min(last, array.Length - 1) - first + 1;
            var slice = Array.CreateInstance(array.GetType().GetElementType()!, count);
            Array.Copy(array, first, slice, 0, count);
            result = Variant.FromArray(value.Type, slice);
            return StatusCode.Good;
        }

        if (value.IsScalar && value.Value is string text)
        {
            if (first >= text.Length)
            {
                return StatusCodes.BadIndexRangeNoData;
            }

            result = new Variant(text.Substring(first, Math.Min(last, text.Length - 1) - first + 1));
            return StatusCode.Good;
        }

        if (value.IsScalar && value.Value is byte[] bytes)
        {
            if (first >= bytes.Length)
            {
                return StatusCodes.BadIndexRangeNoData;
            }

            result = new Variant(bytes[first..(Math.Min(last, bytes.Length - 1) + 1)]);
            return StatusCode.Good;
        }

        return value.IsMatrix ? StatusCodes.BadIndexRangeInvalid : StatusCodes.BadIndexRangeNoData;
    }

    private static bool TryParse(string range, out int first, out int last)
    {
        first = last = 0;
        var parts = range.Split(':');
        if (parts.Length is < 1 or > 2 ||
            !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out first))
        {
            return false;
        }

        if (parts.Length == 1)
        {
            last = first;
            return true;
        }

        return int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out last) && last > first;
    }
}
