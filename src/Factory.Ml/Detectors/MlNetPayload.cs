using Microsoft.ML;
using Microsoft.ML.Data;

namespace Factory.Ml.Detectors;

/// <summary>The ML.NET model a detector package entry holds, loaded and checked against the manifest's feature count.</summary>
internal static class MlNetPayload
{
    /// <exception cref="InvalidDataException">The entry is not an ML.NET model, or not one over float vectors of <paramref name="featureCount"/> features.</exception>
    public static (MLContext Ml, ITransformer Model, DataViewSchema InputSchema) Load(byte[] bytes, string entry, int featureCount)
    {
        var ml = new MLContext(0);
        ITransformer model;
        DataViewSchema inputSchema;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            model = ml.Model.Load(stream, out inputSchema);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"entry '{entry}' cannot be loaded by ML.NET: {e.Message}", e);
        }

        var column = inputSchema.GetColumnOrNull(nameof(FeatureRow.Features));
        if (column is null || column.Value.Type is not VectorDataViewType { ItemType: var itemType, Size: var size } || itemType != NumberDataViewType.Single)
        {
            throw new InvalidDataException($"entry '{entry}' is an ML.NET model without a '{nameof(FeatureRow.Features)}' input of float vectors.");
        }

        if (size != featureCount)
        {
            throw new InvalidDataException($"entry '{entry}' is an ML.NET model for {size} features; the manifest lists {featureCount}.");
        }

        return (ml, model, inputSchema);
    }
}
