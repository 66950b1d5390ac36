using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace GaussQuant.Evaluation.Networks;

/// <summary>Mixed_6a (torchvision InceptionB, unchanged in the FID network): stride-2 reduction 35×35 → 17×17, 288 → 768 channels.</summary>
internal sealed class InceptionBlockB : InceptionBlock
{
    private readonly InceptionConvolution branch3x3, branch3x3DoubleFirst, branch3x3DoubleSecond, branch3x3DoubleThird;

    public InceptionBlockB(long inputChannels) : base("InceptionB")
    {
        branch3x3 = Unit("branch3x3", inputChannels, 384, Square(3), stride: 2);
        branch3x3DoubleFirst = Unit("branch3x3dbl_1", inputChannels, 64, Square(1));
        branch3x3DoubleSecond = Unit("branch3x3dbl_2", 64, 96, Square(3), padding: Square(1));
        branch3x3DoubleThird = Unit("branch3x3dbl_3", 96, 96, Square(3), stride: 2);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return cat([
            branch3x3.call(input),
            branch3x3DoubleThird.call(branch3x3DoubleSecond.call(branch3x3DoubleFirst.call(input))),
            max_pool2d(input, 3, stride: 2),
        ], 1).MoveToOuterDisposeScope();
    }
}
