using System.Collections;

namespace Factory.OpcUa.Encoding;

/// <summary>Structural equality for the values a Variant or ExtensionObject holds by reference.</summary>
internal static class VariantComparer
{
    public static bool BodiesEqual(object? left, object? right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left is null || right is null)
        {
            return false;
        }

        if (left is byte[] leftBytes && right is byte[] rightBytes)
        {
            return leftBytes.AsSpan().SequenceEqual(rightBytes);
        }

        if (left is Array leftArray && right is Array rightArray)
        {
            if (leftArray.Length != rightArray.Length || leftArray.GetType() != rightArray.GetType())
            {
                return false;
            }

            return leftArray switch
            {
                double[] a => a.AsSpan().SequenceEqual((double[])rightArray, BitwiseDoubleComparer.Instance),
                float[] a => a.AsSpan().SequenceEqual((float[])rightArray, BitwiseFloatComparer.Instance),
                _ => ElementsEqual(leftArray, rightArray),
            };
        }

        return left.Equals(right);
    }

    private static bool ElementsEqual(IList left, IList right)
    {
        for (var i = 0; i < left.Count; i++)
        {
            if (!BodiesEqual(left[i], right[i]))
            {
                return false;
            }
        }

        return true;
    }

    private sealed class BitwiseDoubleComparer : IEqualityComparer<double>
    {
        public static readonly BitwiseDoubleComparer Instance = new();
        public bool Equals(double x, double y) => BitConverter.DoubleToUInt64Bits(x) == BitConverter.DoubleToUInt64Bits(y);
        public int GetHashCode(double obj) => obj.GetHashCode();
    }

    private sealed class BitwiseFloatComparer : IEqualityComparer<float>
    {
        public static readonly BitwiseFloatComparer Instance = new();
        public bool Equals(float x, float y) => BitConverter.SingleToUInt32Bits(x) == BitConverter.SingleToUInt32Bits(y);
        public int GetHashCode(float obj) => obj.GetHashCode();
    }
}
