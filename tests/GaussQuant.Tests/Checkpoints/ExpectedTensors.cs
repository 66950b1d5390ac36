using System.Text.Json;
using System.Text.Json.Nodes;
using GaussQuant.Checkpoints;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Checkpoints;

/// <summary>Compares a loaded checkpoint with a listing written by tools/fixtures/make_checkpoint_fixtures.py (key → dtype, shape, values).</summary>
internal static class ExpectedTensors
{
    public static void AssertMatch(JsonObject expected, LoadedCheckpoint checkpoint)
    {
        Assert.Equal(expected.Select(pair => pair.Key).Order(), checkpoint.Tensors.Keys.Order());
        Assert.Equal(expected.Count, checkpoint.Metadata.TensorCount);
        foreach (var (key, description) in expected)
        {
            var tensor = checkpoint.Tensors[key];
            Assert.True(description!["dtype"]!.GetValue<string>() == DTypeName(tensor.dtype), $"{key}: dtype {tensor.dtype}");
            Assert.Equal(description["shape"]!.AsArray().Select(side => side!.GetValue<long>()), tensor.shape);
            Assert.True(tensor.is_contiguous(), key);
            using var asDouble = tensor.to(ScalarType.Float64);
            var values = description["values"]!.AsArray().Select(value => value!.GetValueKind() switch
            {
                JsonValueKind.True => 1.0,
                JsonValueKind.False => 0.0,
                _ => value.GetValue<double>(),
            });
            Assert.Equal(values, tensor.numel() == 0 ? [] : asDouble.data<double>().ToArray()); // TorchSharp's accessor fails on empty tensors
        }
    }

    private static string DTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Float16 => "float16",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Int64 => "int64",
        ScalarType.Int32 => "int32",
        ScalarType.Byte => "uint8",
        ScalarType.Bool => "bool",
        _ => dtype.ToString(),
    };
}
