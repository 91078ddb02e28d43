import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { h } from 'preact';
import { answerAnonymously } from '../surveys/pulse-page.filter';
import { PulseProblemPage } from '../surveys/pulse-problem.page';
import { Pages } from '../views/pages';
import { ConversationNotFoundPage } from './conversation.page';

/**
 * The conversation routes answer refusals with anonymous pages of their own, as the answering
 * routes do (one function for both); an unknown link has its own wording.
 */
@Catch()
export class ConversationPageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ConversationPageController');

  constructor(private readonly pages: Pages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    answerAnonymously(
      exception,
      host,
      this.pages,
      { logger: this.logger, message: 'conversation page failed' },
      (status, problem) =>
        status === 404 ? h(ConversationNotFoundPage, {}) : h(PulseProblemPage, { problem }),
    );
  }
}
