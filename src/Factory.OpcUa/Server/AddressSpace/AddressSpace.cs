using System.Collections.Concurrent;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Server.AddressSpace;

/// <summary>
/// The nodes a server exposes (OPC 10000-3). It starts with the standard nodes of namespace 0
/// that clients expect (Root, Objects, Types, the Server object and the reference and data type
/// hierarchies); host code adds its own namespaces, folders, objects, variables and methods, and
/// updates variable values while the server runs. Safe for concurrent use.
/// </summary>
public sealed partial class AddressSpace
{
    private readonly ConcurrentDictionary<NodeId, Node> _nodes = new();
    private readonly Lock _namespacesLock = new();
    private readonly TimeProvider _clock;
    private string[] _namespaceUris = ["http://opcfoundation.org/UA/"];

    public AddressSpace(string applicationUri, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        _namespaceUris = [.. _namespaceUris, applicationUri];
        AddStandardNodes();
    }

    /// <summary>Namespace URIs by index: 0 is OPC UA's, 1 the server's own.</summary>
    public IReadOnlyList<string> NamespaceUris => Volatile.Read(ref _namespaceUris);

    public int Count => _nodes.Count;

    /// <summary>The index of <paramref name="uri"/>, registering it if it is new.</summary>
    public ushort RegisterNamespace(string uri)
    {
        lock (_namespacesLock)
        {
            var index = Array.IndexOf(_namespaceUris, uri);
            if (index >= 0)
            {
                return (ushort)index;
            }

            _namespaceUris = [.. _namespaceUris, uri];
            if (TryGet<VariableNode>(VariableIds.Server_NamespaceArray, out var array))
            {
                array.SetValue(new Variant(_namespaceUris));
            }

            return (ushort)(_namespaceUris.Length - 1);
        }
    }

    public bool TryGetNode(NodeId nodeId, out Node node) => _nodes.TryGetValue(nodeId, out node!);

    public bool TryGet<T>(NodeId nodeId, out T node)
        where T : Node
    {
        if (_nodes.TryGetValue(nodeId, out var found) && found is T typed)
        {
            node = typed;
            return true;
        }

        node = null!;
        return false;
    }

    /// <summary>The variable with this id.</summary>
    /// <exception cref="KeyNotFoundException">There is no such variable.</exception>
    public VariableNode GetVariable(NodeId nodeId) =>
        TryGet<VariableNode>(nodeId, out var variable) ? variable : throw new KeyNotFoundException($"There is no variable {nodeId}.");

    /// <summary>Adds a folder (an object of FolderType) organized by <paramref name="parent"/>.</summary>
    public ObjectNode AddFolder(NodeId parent, NodeId nodeId, string browseName, string? displayName = null) =>
        AddObject(parent, nodeId, browseName, ObjectTypeIds.FolderType, ReferenceTypeIds.Organizes, displayName);

    /// <summary>Adds an object under <paramref name="parent"/>.</summary>
    public ObjectNode AddObject(NodeId parent, NodeId nodeId, string browseName, NodeId? typeDefinition = null, NodeId? referenceTypeId = null, string? displayName = null)
    {
        var node = new ObjectNode(nodeId, new QualifiedName(browseName, nodeId.NamespaceIndex), new LocalizedText(displayName ?? browseName));
        Add(node, parent, referenceTypeId ?? ReferenceTypeIds.Organizes, typeDefinition ?? ObjectTypeIds.BaseObjectType);
        return node;
    }

    /// <summary>
    /// Adds a variable under <paramref name="parent"/>. Its data type decides which values a
    /// client may write; its value rank whether they are scalars or arrays.
    /// </summary>
    public VariableNode AddVariable(
        NodeId parent,
        NodeId nodeId,
        string browseName,
        NodeId dataType,
        Variant initialValue,
        int valueRank = ValueRanks.Scalar,
        AccessLevels accessLevel = AccessLevels.CurrentRead,
        NodeId? referenceTypeId = null,
        NodeId? typeDefinition = null,
        double minimumSamplingInterval = 0,
        WriteHandler? onWrite = null,
        uint[]? arrayDimensions = null,
        string? displayName = null,
        ushort? browseNameNamespace = null)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        var name = new QualifiedName(browseName, browseNameNamespace ?? nodeId.NamespaceIndex);
        var node = new VariableNode(nodeId, name, new LocalizedText(displayName ?? browseName), dataType, valueRank, new DataValue(initialValue, StatusCode.Good, now, now))
        {
            AccessLevel = accessLevel,
            MinimumSamplingInterval = minimumSamplingInterval,
            OnWrite = onWrite,
            ArrayDimensions = arrayDimensions,
            Clock = _clock,
        };
        Add(node, parent, referenceTypeId ?? ReferenceTypeIds.HasComponent, typeDefinition ?? VariableTypeIds.BaseDataVariableType);
        return node;
    }

    /// <summary>
    /// Adds a property (HasProperty, PropertyType) to a node: engineering units, ranges, method
    /// arguments. Its browse name is in namespace 0 unless another is given, because the
    /// properties clients look for (EURange, EngineeringUnits, InputArguments) are defined there
    /// (OPC 10000-3, 5.6.2; OPC 10000-8, 5.6.2).
    /// </summary>
    public VariableNode AddProperty(NodeId parent, NodeId nodeId, string browseName, NodeId dataType, Variant value, int valueRank = ValueRanks.Scalar, ushort browseNameNamespace = 0) =>
        AddVariable(parent, nodeId, browseName, dataType, value, valueRank, AccessLevels.CurrentRead, ReferenceTypeIds.HasProperty, VariableTypeIds.PropertyType, browseNameNamespace: browseNameNamespace);

    /// <summary>Adds a method to an object; <paramref name="handler"/> runs when a client calls it.</summary>
    public MethodNode AddMethod(NodeId parent, NodeId nodeId, string browseName, MethodHandler handler)
    {
        var node = new MethodNode(nodeId, new QualifiedName(browseName, nodeId.NamespaceIndex), new LocalizedText(browseName), handler);
        Add(node, parent, ReferenceTypeIds.HasComponent, null);
        return node;
    }

    /// <summary>Adds a reference and its inverse.</summary>
    /// <exception cref="KeyNotFoundException">Either node does not exist.</exception>
    public void AddReference(NodeId source, NodeId referenceTypeId, NodeId target)
    {
        var sourceNode = _nodes.TryGetValue(source, out var s) ? s : throw new KeyNotFoundException($"There is no node {source}.");
        var targetNode = _nodes.TryGetValue(target, out var t) ? t : throw new KeyNotFoundException($"There is no node {target}.");
        sourceNode.AddReference(new NodeReference(referenceTypeId, false, target));
        targetNode.AddReference(new NodeReference(referenceTypeId, true, source));
    }

    /// <summary>Removes a node and every reference to it, and the nodes it aggregates.</summary>
    public bool Remove(NodeId nodeId)
    {
        if (!_nodes.TryRemove(nodeId, out var node))
        {
            return false;
        }

        foreach (var reference in node.References)
        {
            if (_nodes.TryGetValue(reference.TargetId, out var other))
            {
                other.RemoveReferencesTo(nodeId);
                if (!reference.IsInverse && IsSubtypeOf(reference.ReferenceTypeId, ReferenceTypeIds.Aggregates))
                {
                    Remove(reference.TargetId);
                }
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="type"/> is <paramref name="ancestor"/> or one of its subtypes (HasSubtype).</summary>
    public bool IsSubtypeOf(NodeId type, NodeId ancestor)
    {
        var current = type;
        for (var depth = 0; depth < 64; depth++)
        {
            if (current == ancestor)
            {
                return true;
            }

            if (!_nodes.TryGetValue(current, out var node))
            {
                return false;
            }

            var parent = NodeId.Null;
            foreach (var reference in node.References)
            {
                if (reference.IsInverse && reference.ReferenceTypeId == ReferenceTypeIds.HasSubtype)
                {
                    parent = reference.TargetId;
                    break;
                }
            }

            if (parent.IsNull)
            {
                return false;
            }

            current = parent;
        }

        return false;
    }

    internal IEnumerable<Node> Nodes => _nodes.Values;

    private void Add(Node node, NodeId parent, NodeId referenceTypeId, NodeId? typeDefinition)
    {
        if (node.NodeId.IsNull)
        {
            throw new ArgumentException("A node needs a non-null NodeId.", nameof(node));
        }

        if (node.NodeId.NamespaceIndex >= NamespaceUris.Count)
        {
            throw new ArgumentException($"Node {node.NodeId} is in namespace {node.NodeId.NamespaceIndex}, which is not registered.", nameof(node));
        }

        if (!_nodes.TryGetValue(parent, out var parentNode))
        {
            throw new KeyNotFoundException($"The parent {parent} of {node.NodeId} does not exist.");
        }

        if (!_nodes.TryAdd(node.NodeId, node))
        {
            throw new ArgumentException($"A node {node.NodeId} already exists.", nameof(node));
        }

        parentNode.AddReference(new NodeReference(referenceTypeId, false, node.NodeId));
        node.AddReference(new NodeReference(referenceTypeId, true, parent));
        if (typeDefinition is { } type && _nodes.ContainsKey(type))
        {
            node.AddReference(new NodeReference(ReferenceTypeIds.HasTypeDefinition, false, type));
        }
    }

    private void AddRoot(Node node) => _nodes[node.NodeId] = node;
}
