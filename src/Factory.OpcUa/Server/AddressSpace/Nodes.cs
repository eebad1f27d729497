using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Server.AddressSpace;

/// <summary>A reference from one node to another (OPC 10000-3, 4.4), as the source node holds it.</summary>
public readonly record struct NodeReference(NodeId ReferenceTypeId, bool IsInverse, NodeId TargetId);

/// <summary>A node of the address space (OPC 10000-3, 5.2): the attributes every node class has.</summary>
public abstract class Node
{
    private NodeReference[] _references = [];

    protected Node(NodeId nodeId, NodeClass nodeClass, QualifiedName browseName, LocalizedText displayName)
    {
        NodeId = nodeId;
        NodeClass = nodeClass;
        BrowseName = browseName;
        DisplayName = displayName;
    }

    public NodeId NodeId { get; }
    public NodeClass NodeClass { get; }
    public QualifiedName BrowseName { get; }
    public LocalizedText DisplayName { get; }
    public LocalizedText? Description { get; init; }

    /// <summary>Forward and inverse references; replaced as a whole, so readers never see a half-made change.</summary>
    public IReadOnlyList<NodeReference> References => Volatile.Read(ref _references);

    internal void AddReference(NodeReference reference)
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current.Contains(reference))
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _references, [.. current, reference], current) == current)
            {
                return;
            }
        }
    }

    internal void RemoveReferencesTo(NodeId target)
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            var kept = current.Where(r => r.TargetId != target).ToArray();
            if (Interlocked.CompareExchange(ref _references, kept, current) == current)
            {
                return;
            }
        }
    }

    /// <summary>The target of this node's HasTypeDefinition reference, if it has one.</summary>
    public NodeId TypeDefinition
    {
        get
        {
            foreach (var reference in References)
            {
                if (!reference.IsInverse && reference.ReferenceTypeId == ReferenceTypeIds.HasTypeDefinition)
                {
                    return reference.TargetId;
                }
            }

            return NodeId.Null;
        }
    }

    public override string ToString() => $"{NodeClass} {NodeId} '{BrowseName}'";
}

/// <summary>An Object node (OPC 10000-3, 5.5.1): a folder, a machine, the Server object.</summary>
public sealed class ObjectNode(NodeId nodeId, QualifiedName browseName, LocalizedText displayName)
    : Node(nodeId, NodeClass.Object, browseName, displayName)
{
    public byte EventNotifier { get; init; }
}

/// <summary>An ObjectType node (OPC 10000-3, 5.5.2).</summary>
public sealed class ObjectTypeNode(NodeId nodeId, QualifiedName browseName, LocalizedText displayName)
    : Node(nodeId, NodeClass.ObjectType, browseName, displayName)
{
    public bool IsAbstract { get; init; }
}

/// <summary>A VariableType node (OPC 10000-3, 5.6.5).</summary>
public sealed class VariableTypeNode(NodeId nodeId, QualifiedName browseName, LocalizedText displayName)
    : Node(nodeId, NodeClass.VariableType, browseName, displayName)
{
    public bool IsAbstract { get; init; }
    public NodeId DataType { get; init; } = DataTypeIds.BaseDataType;
    public int ValueRank { get; init; } = ValueRanks.Any;
}

/// <summary>A ReferenceType node (OPC 10000-3, 5.3).</summary>
public sealed class ReferenceTypeNode(NodeId nodeId, QualifiedName browseName, LocalizedText displayName)
    : Node(nodeId, NodeClass.ReferenceType, browseName, displayName)
{
    public bool IsAbstract { get; init; }
    public bool Symmetric { get; init; }
    public LocalizedText? InverseName { get; init; }
}

/// <summary>A DataType node (OPC 10000-3, 5.8.3).</summary>
public sealed class DataTypeNode(NodeId nodeId, QualifiedName browseName, LocalizedText displayName)
    : Node(nodeId, NodeClass.DataType, browseName, displayName)
{
    public bool IsAbstract { get; init; }
}

/// <summary>
/// A Method node (OPC 10000-3, 5.7) with the code that runs when a client calls it. The handler
/// gets the input arguments and returns the output arguments, or throws a
/// <see cref="ServiceResultException"/> whose status the caller receives.
/// </summary>
public sealed class MethodNode(NodeId nodeId, QualifiedName browseName, LocalizedText displayName, MethodHandler handler)
    : Node(nodeId, NodeClass.Method, browseName, displayName)
{
    public MethodHandler Handler { get; } = handler;
    public bool Executable { get; init; } = true;
}

/// <summary>Runs a method: input arguments in, output arguments out.</summary>
public delegate ValueTask<Variant[]> MethodHandler(NodeId objectId, IReadOnlyList<Variant> inputArguments, CancellationToken cancellationToken);
