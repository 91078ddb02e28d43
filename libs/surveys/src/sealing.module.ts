import { Logger, Module } from '@nestjs/common';
import { AppConfig } from '@trellis/config';
import { AnswerSealer, DEVELOPMENT_ANSWER_KEY } from './sealing';

/** The one place the answer key enters the application: whoever needs to seal or open imports this. */
@Module({
  providers: [
    {
      provide: AnswerSealer,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        // The configuration refuses a missing key in production. Development says so; tests (and
        // the CLI's JSON output under them) stay quiet.
        if (!config.env.ANSWER_KEY && config.env.NODE_ENV === 'development')
          new Logger('AnswerSealer').warn(
            'ANSWER_KEY is not set: answers are sealed with the public development key, which protects nothing',
          );
        return new AnswerSealer(config.env.ANSWER_KEY ?? DEVELOPMENT_ANSWER_KEY);
      },
    },
  ],
  exports: [AnswerSealer],
})
export class SealingModule {}
